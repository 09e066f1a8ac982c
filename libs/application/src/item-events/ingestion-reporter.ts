import { isDomainError, type IngestionReport, type IngestionReports, type IngestionSource } from '@lemo/domain';
import type { AppLogger } from '@lemo/platform-observability';

/** What an ingestion path counts per tenant between two reports. */
export interface IngestionCounts {
  /** Messages handled in batches that succeeded (applied, partly applied or dead-lettered). */
  messages: number;
  /** Items created, updated or deleted. */
  items: number;
  dead_letters: number;
  /** Batches that failed and will be delivered again. */
  failed_batches: number;
}

interface Pending {
  /** Start of the window these counts belong to (unix ms): the report before, or an earlier one whose write failed. */
  since: number;
  counts: IngestionCounts;
}

const ZERO: IngestionCounts = { messages: 0, items: 0, dead_letters: 0, failed_batches: 0 };

const sum = (a: IngestionCounts, b: Partial<IngestionCounts>): IngestionCounts => ({
  messages: a.messages + (b.messages ?? 0),
  items: a.items + (b.items ?? 0),
  dead_letters: a.dead_letters + (b.dead_letters ?? 0),
  failed_batches: a.failed_batches + (b.failed_batches ?? 0),
});

/** Per second, to the thousandth. */
const perSecond = (count: number, ms: number): number => Math.round((count / (ms / 1000)) * 1000) / 1000;

/**
 * Accumulates one ingestion path's counts per tenant and writes them as one
 * IngestionReport per tenant with activity, every interval and once more when
 * stopped. A report whose write fails is logged and its counts stay for the
 * next window (which then starts where the failed one started), so nothing is
 * lost and message handling never waits on or fails because of reporting. A
 * report the store refuses as malformed is dropped (logged): writing it again
 * could never succeed.
 */
export class IngestionReporter {
  private pending = new Map<string, Pending>();
  /** Start of the current window: the last flush (or the start). */
  private windowStart: number;
  /** Flushes run one after the other, never two at once. */
  private flushes: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly reports: IngestionReports,
    private readonly source: IngestionSource,
    private readonly instance: string,
    private readonly logger: AppLogger,
    private readonly now: () => number = Date.now,
  ) {
    this.windowStart = now();
  }

  /** Adds to the tenant's counts of the current window. */
  add(tenantId: string, counts: Partial<IngestionCounts>): void {
    const entry = this.pending.get(tenantId);
    this.pending.set(tenantId, { since: entry?.since ?? this.windowStart, counts: sum(entry?.counts ?? ZERO, counts) });
  }

  /** Flushes every `intervalMs` until stop(); the timer never keeps the process alive. */
  start(intervalMs: number): void {
    this.timer ??= setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes what was counted since the last report. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Writes one report per tenant with counts since its window started; never rejects. */
  flush(): Promise<void> {
    this.flushes = this.flushes.then(() => this.write());
    return this.flushes;
  }

  private async write(): Promise<void> {
    // Every window ends after it started, even within one millisecond (or if the clock stepped back): the next
    // window starts at this end, so no two reports of a tenant share a window_start (the key a rewrite replaces).
    const end = Math.max(this.now(), this.windowStart + 1);
    const due = this.pending;
    this.pending = new Map();
    this.windowStart = end;
    await Promise.all(
      [...due].map(async ([tenantId, entry]) => {
        const report = this.report(tenantId, entry, end);
        try {
          await this.reports.record(report);
        } catch (error) {
          if (isDomainError(error) && error.code === 'VALIDATION_FAILED') {
            this.logger.error({ err: error, report }, 'ingestion report refused as malformed: dropped');
            return;
          }
          this.logger.warn({ err: error, tenant: tenantId, source: this.source }, 'ingestion report not written: its counts go into the next one');
          this.keep(tenantId, entry);
        }
      }),
    );
  }

  private report(tenantId: string, { since, counts }: Pending, end: number): IngestionReport {
    return {
      tenant_id: tenantId,
      source: this.source,
      instance: this.instance,
      window_start: since,
      window_end: end,
      ...counts,
      messages_per_second: perSecond(counts.messages, end - since),
      items_per_second: perSecond(counts.items, end - since),
    };
  }

  /** Puts unwritten counts back, before whatever was counted meanwhile: the next report covers both windows. */
  private keep(tenantId: string, entry: Pending): void {
    const later = this.pending.get(tenantId);
    this.pending.set(tenantId, { since: entry.since, counts: later ? sum(entry.counts, later.counts) : entry.counts });
  }
}
