/** The queue names operators see; kept from the Celery deployment. */
export const QUEUE_NAMES = ['default', 'model_training', 'item_processing', 'user_profile'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export const JOB_STATUSES = ['waiting', 'delayed', 'active', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobOptions {
  /** Same id while a job with it is waiting or active: the enqueue is a no-op (dedup). */
  jobId?: string;
  attempts?: number;
  /** First retry delay; doubles on each further retry. */
  backoffMs?: number;
  delayMs?: number;
}

export interface JobRecord<T = unknown> {
  queue: QueueName;
  job_id: string;
  name: string;
  data: T;
  status: JobStatus;
  progress: number;
  stage: string;
  attempts_made: number;
  max_attempts: number;
  result: unknown;
  failed_reason: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

export interface JobContext<T = unknown> {
  readonly job: JobRecord<T>;
  /** 0-100 and a short stage name, visible in job listings. */
  reportProgress(progress: number, stage?: string): Promise<void>;
  /** True once someone cancelled the job: long jobs check it between steps and stop. */
  isCancelled(): boolean;
}

export type JobHandler<T = unknown> = (context: JobContext<T>) => Promise<unknown>;

/** Jobs of a queue not finished yet, by state: what the queue-depth metric reports. */
export interface QueueDepth {
  waiting: number;
  delayed: number;
  active: number;
}

export abstract class JobQueue {
  abstract enqueue<T>(queue: QueueName, name: string, data: T, options?: JobOptions): Promise<JobRecord<T>>;
  /** Registers the handler for one job name on a queue; `concurrency` jobs of the queue run at once. */
  abstract process<T>(queue: QueueName, name: string, handler: JobHandler<T>, concurrency?: number): void;
  abstract get(queue: QueueName, jobId: string): Promise<JobRecord | null>;
  abstract list(queue: QueueName, filter: { status?: JobStatus; limit: number }): Promise<JobRecord[]>;
  /** How many jobs wait (due now), wait for their delay, and run: one cheap read, for metrics. */
  abstract depth(queue: QueueName): Promise<QueueDepth>;
  /** Waiting jobs are removed, active ones are flagged for their handler. Returns false when unknown or finished. */
  abstract cancel(queue: QueueName, jobId: string): Promise<boolean>;
  abstract close(): Promise<void>;
}

export interface ScheduleDefinition {
  /** Unique name; with `cron` it identifies one tick across every replica. */
  name: string;
  /** Five-field cron expression. */
  cron: string;
  timezone?: string;
}

/**
 * Fires each schedule's tick exactly once across all replicas (the lock is in
 * the shared store), so two beat processes never double a job.
 */
export abstract class Scheduler {
  abstract schedule(definition: ScheduleDefinition, fire: (tickAt: Date) => Promise<void>): void;
  abstract close(): Promise<void>;
}
