import type { JobRecord, JobStatus, QueueName } from '@lemo/domain';
import type { Job } from 'bull';
import type { BullState } from './job-scripts';

/** What a job's Bull `progress` field holds: the port's percentage and stage together. */
export interface StoredProgress {
  percent: number;
  stage: string;
}

export function readProgress(progress: unknown): StoredProgress {
  if (typeof progress === 'number') return { percent: progress, stage: '' };
  const stored = (progress ?? {}) as Partial<StoredProgress>;
  return { percent: typeof stored.percent === 'number' ? stored.percent : 0, stage: typeof stored.stage === 'string' ? stored.stage : '' };
}

export const statusOf = (state: BullState, cancelled: boolean): JobStatus => (state === 'failed' && cancelled ? 'cancelled' : state);

/**
 * The port's view of a Bull job. Bull counts failed attempts only, so the
 * running attempt and the one that completed are added.
 */
export function toRecord(queue: QueueName, job: Job, status: JobStatus): JobRecord {
  const { percent, stage } = readProgress(job.progress());
  const finishedBadly = status === 'failed' || status === 'cancelled';
  return {
    queue,
    job_id: String(job.id),
    name: job.name,
    data: job.data as unknown,
    status,
    progress: percent,
    stage,
    attempts_made: job.attemptsMade + (status === 'active' || status === 'completed' ? 1 : 0),
    max_attempts: job.opts.attempts ?? 1,
    result: status === 'completed' ? ((job.returnvalue as unknown) ?? null) : null,
    failed_reason: finishedBadly ? (job.failedReason ?? null) : null,
    created_at: job.timestamp,
    started_at: job.processedOn ?? null,
    finished_at: job.finishedOn ?? null,
  };
}
