import { Logger } from '@nestjs/common';
import {
  DomainError,
  JobQueue,
  QUEUE_NAMES,
  type JobContext,
  type JobHandler,
  type JobOptions,
  type JobRecord,
  type JobStatus,
  type QueueDepth,
  type QueueName,
} from '@lemo/domain';
import type { Job, JobOptions as BullJobOptions, JobStatus as BullListStatus, Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { DOUBLING_BACKOFF, type ResolvedBullOptions } from './bull-storage.options';
import { guarded, messageOf } from './bull-errors';
import { readProgress, statusOf, toRecord } from './job-record';
import { CANCELLED_REASON, cancelJob, cancelledFlags, isCancelRequested, jobState, removeFinished, type BullState } from './job-scripts';

const DEFAULT_BACKOFF_MS = 1000;

/** Bull lists read per step while filtering failed jobs into failed and cancelled. */
const FAILED_PAGE = 100;

const LISTED_STATES: ReadonlyArray<[BullListStatus, BullState]> = [
  ['waiting', 'waiting'],
  ['delayed', 'delayed'],
  ['active', 'active'],
  ['completed', 'completed'],
  ['failed', 'failed'],
];

/**
 * Bull keeps a job at `{prefix}:{queue}:{id}`, beside its own lists and
 * counters there: an id naming one of those would overwrite Bull's state.
 */
// prettier-ignore
const BULL_RESERVED_IDS = new Set([
  '', 'active', 'wait', 'waiting', 'paused', 'resumed', 'meta', 'meta-paused', 'id', 'delayed', 'priority', 'stalled-check',
  'completed', 'failed', 'stalled', 'repeat', 'limiter', 'drained', 'duplicated', 'progress', 'de', 'metrics', 'events',
]);
const BULL_RESERVED_PATTERN = /^(de|limiter|metrics|repeat):|:(logs|lock)$/;
const isReservedId = (jobId: string): boolean => BULL_RESERVED_IDS.has(jobId) || BULL_RESERVED_PATTERN.test(jobId);

const newestFirst = (a: JobRecord, b: JobRecord): number => b.created_at - a.created_at;

/** How long a Bull worker loop needs to get past its start-up commands (see BullJobQueue.close). */
const LOOP_START_MS = 300;

/**
 * The four queues on Bull. Bull gives retries (with the port's doubling
 * backoff), delays, locks renewed while a handler runs and re-runs of jobs
 * whose process died; this adapter adds what the port promises beyond Bull:
 * jobId dedup only while unfinished, a 'cancelled' status, progress with a
 * stage, and one concurrency limit per queue.
 */
export class BullJobQueue extends JobQueue {
  private readonly logger = new Logger('BullJobQueue');
  /** Bull worker loops started per queue: each takes jobs of any name the queue has a handler for. */
  private readonly loops = new Map<QueueName, number>();
  private closing: Promise<void> | null = null;
  /** When process() last started a worker loop (see close()). */
  private lastLoopStartedAt = 0;

  constructor(
    private readonly queues: Readonly<Record<QueueName, Queue>>,
    private readonly options: Pick<ResolvedBullOptions, 'cancelPollMs' | 'keepFinishedSeconds' | 'keepFinishedCount'>,
  ) {
    super();
    for (const name of QUEUE_NAMES) {
      let reported = false;
      queues[name].on('error', (error: Error) => {
        if (!reported) this.logger.warn(`queue '${name}': ${error.message}`);
        reported = true;
      });
    }
  }

  async enqueue<T>(queue: QueueName, name: string, data: T, options: JobOptions = {}): Promise<JobRecord<T>> {
    this.assertOpen();
    const attempts = options.attempts ?? 1;
    if (!Number.isInteger(attempts) || attempts < 1) throw DomainError.invalid('attempts', 'must be an integer >= 1');
    if (options.jobId !== undefined && isReservedId(options.jobId)) {
      throw DomainError.invalid('jobId', `'${options.jobId}' names one of Bull's own keys`);
    }
    const bull = this.queues[queue];
    const jobId = options.jobId ?? randomUUID();
    const keep = { age: this.options.keepFinishedSeconds, count: this.options.keepFinishedCount };
    const bullOptions: BullJobOptions = {
      jobId,
      attempts,
      delay: Math.max(0, options.delayMs ?? 0),
      backoff: { type: DOUBLING_BACKOFF, options: { delayMs: Math.max(0, options.backoffMs ?? DEFAULT_BACKOFF_MS) } },
      removeOnComplete: keep,
      removeOnFail: keep,
    };
    return guarded(async () => {
      // Bull keeps a finished job's id taken until the job is removed; the port frees it at once.
      if (options.jobId !== undefined) await removeFinished(bull, jobId);
      // An unfinished job with this id makes add a no-op: the stored job is the answer.
      await bull.add(name, data, bullOptions);
      const stored = await this.get(queue, jobId);
      if (!stored) throw new DomainError('CONFLICT', `job ${queue}/${jobId} finished and was removed while being enqueued`);
      return stored as JobRecord<T>;
    });
  }

  /**
   * Bull's worker loops serve every handler of a queue, so the queue runs as
   * many loops as the largest concurrency any of its handlers asked for. A
   * job whose name has no handler in the process that takes it fails
   * ("Missing process handler"): register every name of a queue at start.
   */
  process<T>(queue: QueueName, name: string, handler: JobHandler<T>, concurrency = 1): void {
    this.assertOpen();
    const running = this.loops.get(queue) ?? 0;
    const wanted = Number.isFinite(concurrency) ? Math.max(1, Math.floor(concurrency)) : 1;
    const extra = Math.max(0, wanted - running);
    try {
      this.queues[queue]
        .process(name, extra, (job: Job) => this.run(queue, job, handler as JobHandler))
        .catch((error: unknown) => this.logger.error(`queue '${queue}' stopped processing '${name}': ${messageOf(error)}`));
    } catch {
      throw DomainError.alreadyExists('job handler', `${queue}/${name}`);
    }
    this.loops.set(queue, running + extra);
    this.lastLoopStartedAt = Date.now();
  }

  get(queue: QueueName, jobId: string): Promise<JobRecord | null> {
    const bull = this.queues[queue];
    if (isReservedId(jobId)) return Promise.resolve(null);
    return guarded(async () => {
      const [job, { state, cancelled }] = await Promise.all([bull.getJob(jobId), jobState(bull, jobId)]);
      return job ? toRecord(queue, job, statusOf(state, cancelled)) : null;
    });
  }

  depth(queue: QueueName): Promise<QueueDepth> {
    return guarded(async () => {
      const counts = await this.queues[queue].getJobCounts();
      return { waiting: counts.waiting, delayed: counts.delayed, active: counts.active };
    });
  }

  /** Newest first. */
  list(queue: QueueName, filter: { status?: JobStatus; limit: number }): Promise<JobRecord[]> {
    const limit = Math.floor(filter.limit);
    if (limit <= 0) return Promise.resolve([]);
    return guarded(async () => {
      const { status } = filter;
      if (status === 'failed' || status === 'cancelled') return this.listFailed(queue, status, limit);
      const states = status === undefined ? LISTED_STATES : LISTED_STATES.filter(([, state]) => state === status);
      const lists = await Promise.all(states.map(([listed, state]) => this.listState(queue, listed, state, limit)));
      return lists.flat().sort(newestFirst).slice(0, limit);
    });
  }

  cancel(queue: QueueName, jobId: string): Promise<boolean> {
    if (isReservedId(jobId)) return Promise.resolve(false);
    return guarded(async () => (await cancelJob(this.queues[queue], jobId, Date.now())) !== null);
  }

  /** Stops taking jobs and waits for the handlers in flight, then closes Bull's connections. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.letLoopsStart().then(() => Promise.all(QUEUE_NAMES.map((name) => this.queues[name].close())).then(() => undefined));
    return this.closing;
  }

  /**
   * A Bull worker loop that is still starting (its first Redis commands in
   * flight) when its queue closes rejects with "Connection is closed" outside
   * any promise we hold (OptimalBits/bull#2222): a close right after process()
   * first gives the loops a moment to start. Enqueues are refused from the
   * moment close() is called.
   */
  private async letLoopsStart(): Promise<void> {
    const wait = this.lastLoopStartedAt + LOOP_START_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  private assertOpen(): void {
    if (this.closing) throw new DomainError('UNAVAILABLE', 'job queue is closed');
  }

  private async listState(queue: QueueName, listed: BullListStatus, state: BullState, limit: number): Promise<JobRecord[]> {
    const bull = this.queues[queue];
    const jobs = (await bull.getJobs([listed], 0, limit - 1)).filter((job): job is Job => Boolean(job));
    const flags =
      state === 'failed'
        ? await cancelledFlags(
            bull,
            jobs.map((job) => String(job.id)),
          )
        : [];
    return jobs.map((job, i) => toRecord(queue, job, statusOf(state, flags[i] ?? false)));
  }

  /** Failed and cancelled jobs share Bull's failed set; the flag tells them apart. */
  private async listFailed(queue: QueueName, status: 'failed' | 'cancelled', limit: number): Promise<JobRecord[]> {
    const found: JobRecord[] = [];
    for (let start = 0; found.length < limit; start += FAILED_PAGE) {
      const page = (await this.queues[queue].getFailed(start, start + FAILED_PAGE - 1)).filter((job): job is Job => Boolean(job));
      const flags = await cancelledFlags(
        this.queues[queue],
        page.map((job) => String(job.id)),
      );
      page.forEach((job, i) => {
        if (statusOf('failed', flags[i]) === status) found.push(toRecord(queue, job, status));
      });
      if (page.length < FAILED_PAGE) break;
    }
    return found.sort(newestFirst).slice(0, limit);
  }

  /**
   * Runs one attempt. A cancel request (the job hash's flag) is looked for
   * before the handler starts, every cancelPollMs while it runs, on each
   * progress report and once it returns; a cancelled job ends in Bull's failed
   * set without further retries, and reads as 'cancelled'.
   */
  private async run(queue: QueueName, job: Job, handler: JobHandler): Promise<unknown> {
    const bull = this.queues[queue];
    const jobId = String(job.id);
    let cancelled = await isCancelRequested(bull, jobId);
    const look = async () => {
      cancelled ||= await isCancelRequested(bull, jobId).catch(() => false);
    };
    let outcome: { result: unknown } | { error: unknown } = { error: new Error(CANCELLED_REASON) };
    if (!cancelled) {
      let { stage } = readProgress(job.progress());
      const context: JobContext = {
        job: toRecord(queue, job, 'active'),
        reportProgress: async (progress, newStage) => {
          stage = newStage ?? stage;
          await guarded(() => job.progress({ percent: Math.min(100, Math.max(0, progress)), stage }));
          await look();
        },
        isCancelled: () => cancelled,
      };
      const poll = setInterval(() => void look(), this.options.cancelPollMs);
      try {
        outcome = { result: await handler(context) };
      } catch (error) {
        outcome = { error };
      } finally {
        clearInterval(poll);
      }
      await look();
    }
    if (cancelled) {
      job.discard();
      throw new Error(CANCELLED_REASON);
    }
    if ('result' in outcome) return outcome.result;
    // Bull records `.message` as the failed reason: anything thrown without one is wrapped.
    throw typeof (outcome.error as { message?: unknown } | null)?.message === 'string' ? outcome.error : new Error(messageOf(outcome.error));
  }
}
