import { Logger } from '@nestjs/common';
import { DomainError, JobQueue, type JobContext, type JobHandler, type JobOptions, type JobRecord, type JobStatus, type QueueDepth, type QueueName } from '@lemo/domain';
import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from '../sqlite/sqlite-database';
import { guarded } from '../sqlite/sqlite-errors';
import { JobStore } from './job-store';
import { messageOf } from '../error-message';

export interface JobQueueOptions {
  /** Fallback scan for due jobs (delayed, enqueued by another process); enqueue and completion dispatch directly. */
  pollIntervalMs: number;
  /** An active job whose process stops renewing for this long is run again. */
  leaseMs: number;
  /** Completed, failed and cancelled jobs are kept this long for listings. */
  retentionMs: number;
}

export const DEFAULT_JOB_QUEUE_OPTIONS: JobQueueOptions = { pollIntervalMs: 1000, leaseMs: 30_000, retentionMs: 7 * 24 * 3600 * 1000 };

const DEFAULT_BACKOFF_MS = 1000;
const PRUNE_EVERY_MS = 3600_000;

interface QueueWorkers {
  handlers: Map<string, JobHandler>;
  concurrency: number;
  running: number;
  wakeTimer?: NodeJS.Timeout;
}

interface ActiveJob {
  cancelled: boolean;
  done: Promise<void>;
}

/**
 * Durable jobs in SQLite with Bull's semantics: retries with exponential
 * backoff, jobId dedup, delayed jobs, progress, cancellation and per-queue
 * concurrency. Jobs of a crashed process are re-run once their lease lapses;
 * at start, lapsed leases are recovered immediately.
 */
export class EmbeddedJobQueue extends JobQueue {
  private readonly logger = new Logger('EmbeddedJobQueue');
  private readonly store: JobStore;
  private readonly owner = randomUUID();
  private readonly queues = new Map<QueueName, QueueWorkers>();
  private readonly active = new Map<string, ActiveJob>();
  private readonly timer: NodeJS.Timeout;
  private lastPrune = 0;
  private closed = false;

  constructor(
    db: SqliteDatabase,
    private readonly options: JobQueueOptions = DEFAULT_JOB_QUEUE_OPTIONS,
  ) {
    super();
    this.store = new JobStore(db);
    this.store.requeueExpired(Date.now());
    // Unref'd until a processor is registered: a process that only enqueues must be free to exit.
    this.timer = setInterval(() => this.tick(), Math.min(options.pollIntervalMs, options.leaseMs / 3)).unref();
  }

  async enqueue<T>(queue: QueueName, name: string, data: T, options: JobOptions = {}): Promise<JobRecord<T>> {
    if (this.closed) throw new DomainError('UNAVAILABLE', 'job queue is closed');
    const attempts = options.attempts ?? 1;
    if (!Number.isInteger(attempts) || attempts < 1) throw DomainError.invalid('attempts', 'must be an integer >= 1');
    const job = {
      queue,
      name,
      data,
      jobId: options.jobId ?? randomUUID(),
      maxAttempts: attempts,
      backoffMs: Math.max(0, options.backoffMs ?? DEFAULT_BACKOFF_MS),
      delayMs: Math.max(0, options.delayMs ?? 0),
    };
    const record = await guarded(() => this.store.enqueue(job, Date.now()));
    this.dispatch(queue);
    return record as JobRecord<T>;
  }

  process<T>(queue: QueueName, name: string, handler: JobHandler<T>, concurrency = 1): void {
    if (this.closed) throw new DomainError('UNAVAILABLE', 'job queue is closed');
    const workers = this.queues.get(queue) ?? { handlers: new Map(), concurrency: 1, running: 0 };
    workers.handlers.set(name, handler as JobHandler);
    // One limit per queue: the largest any of its processors asked for.
    workers.concurrency = Math.max(workers.concurrency, Math.max(1, Math.floor(concurrency)));
    this.queues.set(queue, workers);
    this.timer.ref();
    this.dispatch(queue);
  }

  get(queue: QueueName, jobId: string): Promise<JobRecord | null> {
    return guarded(() => {
      this.store.promoteDue(Date.now());
      return this.store.get(queue, jobId);
    });
  }

  list(queue: QueueName, filter: { status?: JobStatus; limit: number }): Promise<JobRecord[]> {
    return guarded(() => {
      this.store.promoteDue(Date.now());
      return this.store.list(queue, filter.status, filter.limit);
    });
  }

  depth(queue: QueueName): Promise<QueueDepth> {
    return guarded(() => this.store.depth(queue, Date.now()));
  }

  async cancel(queue: QueueName, jobId: string): Promise<boolean> {
    const cancelled = await guarded(() => this.store.cancel(queue, jobId, Date.now()));
    const running = this.active.get(`${queue}/${jobId}`);
    if (cancelled && running) running.cancelled = true;
    return cancelled;
  }

  /** Stops taking jobs and waits for the handlers in flight to finish. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    for (const workers of this.queues.values()) clearTimeout(workers.wakeTimer);
    await Promise.allSettled([...this.active.values()].map((job) => job.done));
  }

  private dispatch(queue: QueueName): void {
    const workers = this.queues.get(queue);
    if (!workers || this.closed) return;
    const names = [...workers.handlers.keys()];
    try {
      while (workers.running < workers.concurrency) {
        const job = this.store.claim(queue, names, this.owner, Date.now(), this.options.leaseMs);
        if (!job) break;
        this.run(workers, job);
      }
      this.wakeForDelayed(queue, workers, names);
    } catch (error) {
      this.logger.warn(`queue '${queue}' could not dispatch: ${messageOf(error)}`);
    }
  }

  /** Sleeps until the next delayed job is due instead of polling for it. */
  private wakeForDelayed(queue: QueueName, workers: QueueWorkers, names: readonly string[]): void {
    clearTimeout(workers.wakeTimer);
    const due = this.store.nextDueAt(queue, names);
    if (due === null) return;
    workers.wakeTimer = setTimeout(() => this.dispatch(queue), Math.max(0, due - Date.now())).unref();
  }

  private run(workers: QueueWorkers, job: JobRecord): void {
    const key = `${job.queue}/${job.job_id}`;
    const handler = workers.handlers.get(job.name) ?? (() => Promise.reject(new Error(`no handler for job '${job.name}'`)));
    workers.running += 1;
    const state: ActiveJob = { cancelled: false, done: Promise.resolve() };
    const context: JobContext = {
      job,
      reportProgress: async (progress, stage) => {
        const bounded = Math.min(100, Math.max(0, progress));
        if (await guarded(() => this.store.progress(job.queue, job.job_id, this.owner, bounded, stage))) state.cancelled = true;
      },
      isCancelled: () => state.cancelled,
    };
    state.done = this.settle(job, () => handler(context)).finally(() => {
      workers.running -= 1;
      this.active.delete(key);
      this.dispatch(job.queue);
    });
    this.active.set(key, state);
  }

  private async settle(job: JobRecord, work: () => Promise<unknown>): Promise<void> {
    let outcome: { result: unknown } | { error: unknown };
    try {
      outcome = { result: await work() };
    } catch (error) {
      outcome = { error };
    }
    try {
      if ('result' in outcome) this.store.complete(job.queue, job.job_id, this.owner, outcome.result, Date.now());
      else this.store.fail(job.queue, job.job_id, this.owner, messageOf(outcome.error), Date.now());
    } catch (error) {
      // The lease will lapse and the job run again: at-least-once, never lost.
      this.logger.error(`job ${job.queue}/${job.job_id} finished but its outcome could not be stored: ${messageOf(error)}`);
    }
  }

  private tick(): void {
    try {
      const now = Date.now();
      this.store.renewLeases(this.owner, now + this.options.leaseMs);
      this.store.requeueExpired(now);
      if (now - this.lastPrune >= PRUNE_EVERY_MS) {
        this.lastPrune = now;
        this.store.pruneFinished(now - this.options.retentionMs);
      }
    } catch {
      // The database is closing or busy; the next tick tries again.
      return;
    }
    for (const queue of this.queues.keys()) this.dispatch(queue);
  }
}
