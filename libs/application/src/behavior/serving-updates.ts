import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';
import { isUnavailable } from '../shared/document-store-outage';

/** One write to a serving store (hot scores, a user's recent items, a cache generation, a job), derived from stored events. */
export interface ServingWrite {
  /** For logs: what this write is about. */
  what: string;
  run(): Promise<void>;
}

/** How often writes held back by an outage are tried again. */
const RETRY_MS = 1_000;
/** Writes held at most; beyond, the oldest are dropped (counted and logged) rather than exhausting memory in a long outage. */
const MAX_PENDING = 100_000;

/**
 * Applies the serving side effects of accepted events, and holds them back
 * while their store is unreachable instead of failing the request.
 *
 * Why: the event store is the source of truth and has the events by then, so
 * the client was told "accepted"; failing the request would make its retry a
 * duplicate, and the hot scores, recent items and cache generation of those
 * events would never be written. Instead, writes wait here in arrival order (one
 * user's recent items keep their order) and are retried every second until the
 * store answers again. What is not durable: a process that stops during the
 * outage loses the writes it held (logged with their count); seen-item exclusion
 * still holds, as serving also reads the user's history from the event store.
 * A write that may have reached the store before its connection broke is run
 * again, so a hot score can count one event twice: popularity is approximate.
 */
@Injectable()
export class ServingUpdates implements OnApplicationShutdown {
  private readonly pending: ServingWrite[] = [];
  private draining: Promise<unknown> | null = null;
  /** True from an outage until the backlog is empty again: new writes then queue behind it and the caller does not wait. */
  private held = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private dropped = 0;

  constructor(@Inject(LOGGER) private readonly logger: AppLogger) {}

  /**
   * Queues the writes and, unless an outage is holding writes back already,
   * applies them before resolving (so an event is visible to the very next
   * request). Rejects only for a failure that is not an outage (a bug); the
   * other writes are still applied.
   */
  async apply(writes: readonly ServingWrite[]): Promise<void> {
    this.pending.push(...writes);
    this.dropOverflow();
    let failure: unknown;
    // A caller that queued while a run was finishing finds its writes still pending: run again.
    while (this.pending.length && !this.held) failure ??= await this.run();
    if (failure) throw failure;
  }

  /** Writes waiting for their store. */
  get backlog(): number {
    return this.pending.length;
  }

  onApplicationShutdown(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.pending.length) this.logger.warn({ lost_writes: this.pending.length }, 'stopping with serving writes held back by an outage');
  }

  /** One pass over the queue, shared by concurrent callers: until it is empty or an outage stops it. */
  private run(): Promise<unknown> {
    this.draining ??= this.runQueue().finally(() => (this.draining = null));
    return this.draining;
  }

  private async runQueue(): Promise<unknown> {
    let failure: unknown;
    while (this.pending.length) {
      const write = this.pending[0];
      try {
        await write.run();
      } catch (error) {
        if (isUnavailable(error)) {
          this.holdBack(write, error);
          return failure;
        }
        // Not an outage: running it again would fail again. Report it, and let the rest through.
        this.logger.error({ write: write.what, err: error instanceof Error ? error.message : String(error) }, 'serving write failed');
        failure ??= error;
      }
      this.remove(write);
    }
    if (this.held) this.logger.info({ dropped_writes: this.dropped }, 'serving writes held back by the outage applied');
    this.held = false;
    this.dropped = 0;
    return failure;
  }

  private holdBack(write: ServingWrite, error: unknown): void {
    if (!this.held) this.logger.warn({ write: write.what, backlog: this.pending.length, err: (error as Error).message }, 'serving writes held back until the store answers');
    this.held = true;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.run();
    }, RETRY_MS);
    // Never keeps a process alive by itself (shutdown logs what is lost).
    this.retryTimer.unref();
  }

  /** The backlog may have been trimmed while the write ran. */
  private remove(write: ServingWrite): void {
    if (this.pending[0] === write) this.pending.shift();
    else {
      const index = this.pending.indexOf(write);
      if (index >= 0) this.pending.splice(index, 1);
    }
  }

  private dropOverflow(): void {
    const excess = this.pending.length - MAX_PENDING;
    if (excess <= 0) return;
    this.pending.splice(0, excess);
    this.dropped += excess;
  }
}
