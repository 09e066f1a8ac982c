import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { messageOf } from '../error-message';
import type { SqliteOutbox, StoredRecord } from './sqlite-outbox';

export interface RelayOptions {
  /** Rows per Kafka request. */
  batchMaxMessages: number;
  /** Payload bytes per Kafka request (below the broker's message.max.bytes: one request is one record batch per partition). */
  batchMaxBytes: number;
  /** First wait after a failed send; doubles per consecutive failure up to `retryMaxMs`. */
  retryInitialMs: number;
  retryMaxMs: number;
}

/** Sends records to Kafka and resolves only once every one of them is acknowledged. */
export type RecordSender = (records: readonly StoredRecord[]) => Promise<void>;

export interface RelayStatus {
  /** Consecutive failed sends (0 when the last one succeeded). */
  failures: number;
  lastError?: string;
}

/** Report a long outage now and then, not on every retry. */
const LOG_EVERY_FAILURES = 20;

/**
 * Drains the outbox to Kafka, oldest row first, one batch at a time: a batch
 * is deleted only after Kafka acknowledged it, and the next one is read only
 * then, so order per key is kept and nothing is dropped while the broker is
 * down (the same batch is retried with backoff). A batch that reached Kafka
 * but whose acknowledgement was lost is sent again: delivery is at least once.
 */
export class OutboxRelay {
  private readonly logger = new Logger('KafkaOutboxRelay');
  private readonly stopping = new AbortController();
  private readonly drainWaiters = new Set<() => void>();
  private wakeUp?: () => void;
  private loop?: Promise<void>;
  private failures = 0;
  private lastError?: string;

  constructor(
    private readonly outbox: SqliteOutbox,
    private readonly send: RecordSender,
    private readonly options: RelayOptions,
  ) {}

  get status(): RelayStatus {
    return { failures: this.failures, ...(this.lastError !== undefined && { lastError: this.lastError }) };
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** New rows were committed. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Resolves true once the outbox is empty, false if it is not within `timeoutMs`. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.outbox.depth === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (empty: boolean) => {
        clearTimeout(timer);
        this.drainWaiters.delete(onDrained);
        resolve(empty);
      };
      const onDrained = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.drainWaiters.add(onDrained);
    });
  }

  /** Stops after the send in flight, waiting at most `timeoutMs` for it (its rows stay in the outbox if it does not finish). */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping.abort();
    this.wakeUp?.();
    if (!this.loop) return;
    const timeout = new AbortController();
    await Promise.race([this.loop, sleep(timeoutMs, undefined, { signal: timeout.signal }).catch(() => undefined)]);
    timeout.abort();
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let batch: StoredRecord[] = [];
      try {
        batch = this.outbox.peek(this.options.batchMaxMessages, this.options.batchMaxBytes);
        if (batch.length === 0) {
          for (const notify of [...this.drainWaiters]) notify();
          await this.idle();
          continue;
        }
        await this.send(batch);
        this.outbox.removeThrough(batch[batch.length - 1].id);
        if (this.failures > 0) this.logger.log(`Kafka reachable again after ${this.failures} failed attempt(s); ${this.outbox.depth} event(s) left to send`);
        this.failures = 0;
        this.lastError = undefined;
      } catch (error) {
        if (this.stopped) return;
        this.failures += 1;
        this.lastError = messageOf(error);
        const delay = Math.min(this.options.retryMaxMs, this.options.retryInitialMs * 2 ** Math.min(this.failures - 1, 20));
        if (this.failures === 1 || this.failures % LOG_EVERY_FAILURES === 0) {
          this.logger.warn(`cannot deliver ${batch.length} event(s) to Kafka (attempt ${this.failures}, ${this.outbox.depth} waiting), retrying in ${delay} ms: ${this.lastError}`);
        }
        await sleep(delay, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
  }

  /** Waits for `wake` or `stop`. Set synchronously after an empty peek, so no wake-up can fall in between. */
  private idle(): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve();
      this.wakeUp = () => {
        this.wakeUp = undefined;
        resolve();
      };
    });
  }
}
