import type { AnalyticsStore, AssignmentRecord } from '@lemo/domain';
import type { AppLogger } from '@lemo/platform-observability';

/** Pending assignments are written at least this often. */
export const ASSIGNMENT_FLUSH_MS = 1000;
/** Assignments per store write; a full batch is written at once. */
const BATCH = 1000;
/** (experiment, user) pairs this process remembers as recorded, so a returning user costs no write. */
const REMEMBERED = 200_000;
/** Assignments held while the store is unreachable; past it, new ones wait for the user's next request. */
const MAX_PENDING = 50_000;

/**
 * Records the users serving assigns to experiments, off the request path:
 * `record` only queues (never waits, never throws), and the queue is written
 * to the AnalyticsStore in batches, every second or per thousand. A pair this
 * process recorded recently is skipped; other processes may record it again,
 * which the store absorbs (it keeps the earliest assignment). A failed write
 * is retried on the next flush; what a process still holds when it is killed
 * is lost, and recorded again on the user's next request.
 */
export class AssignmentLog {
  private pending: AssignmentRecord[] = [];
  /** Insertion-ordered, so the oldest entry is the first one evicted. */
  private readonly recorded = new Map<string, true>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private overflowWarned = false;

  constructor(
    private readonly analytics: AnalyticsStore,
    private readonly logger: AppLogger,
  ) {}

  record(assignment: AssignmentRecord): void {
    const key = keyOf(assignment);
    if (this.recorded.has(key)) return;
    if (this.pending.length >= MAX_PENDING) {
      if (!this.overflowWarned)
        this.logger.warn({ pending: this.pending.length }, 'experiment assignments are not being written: new ones wait for the next request');
      this.overflowWarned = true;
      return;
    }
    this.remember(key);
    this.pending.push(assignment);
    if (this.pending.length >= BATCH) void this.flush();
    else this.schedule();
  }

  /** Writes everything queued so far; resolves when it is stored or has failed (and was queued again). Never rejects. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.writing = this.writing.then(() => this.writePending());
    return this.writing;
  }

  /** Final write on shutdown. */
  async close(): Promise<void> {
    await this.flush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async writePending(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, BATCH);
      try {
        await this.analytics.recordAssignments(batch);
        this.overflowWarned = false;
      } catch (error) {
        // Idempotent writes: the batch goes back to the front and is retried by the next flush.
        this.pending.unshift(...batch);
        this.logger.warn({ err: error, pending: this.pending.length }, 'experiment assignments could not be written: retrying');
        this.schedule();
        return;
      }
    }
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), ASSIGNMENT_FLUSH_MS);
    // A queued write never keeps a process (or a test run) alive; shutdown flushes explicitly.
    this.timer.unref();
  }

  private remember(key: string): void {
    this.recorded.set(key, true);
    if (this.recorded.size > REMEMBERED) {
      const oldest = this.recorded.keys().next().value;
      if (oldest !== undefined) this.recorded.delete(oldest);
    }
  }
}

const keyOf = (assignment: AssignmentRecord): string => `${assignment.tenant_id}\u0000${assignment.experiment_id}\u0000${assignment.user_id}`;
