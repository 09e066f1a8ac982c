import type { JobRecord, JobStatus, QueueDepth, QueueName } from '@lemo/domain';
import type { SqliteDatabase } from '../sqlite/sqlite-database';

interface JobRow {
  queue: QueueName;
  job_id: string;
  name: string;
  data: string;
  status: JobStatus;
  progress: number;
  stage: string;
  attempts_made: number;
  max_attempts: number;
  result: string | null;
  failed_reason: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

export interface NewJob {
  queue: QueueName;
  jobId: string;
  name: string;
  data: unknown;
  maxAttempts: number;
  backoffMs: number;
  delayMs: number;
}

const UNFINISHED = "('waiting', 'delayed', 'active')";

const toRecord = (row: JobRow): JobRecord => ({
  queue: row.queue,
  job_id: row.job_id,
  name: row.name,
  data: JSON.parse(row.data) as unknown,
  status: row.status,
  progress: row.progress,
  stage: row.stage,
  attempts_made: row.attempts_made,
  max_attempts: row.max_attempts,
  result: row.result === null ? null : (JSON.parse(row.result) as unknown),
  failed_reason: row.failed_reason,
  created_at: row.created_at,
  started_at: row.started_at,
  finished_at: row.finished_at,
});

/**
 * Job rows and their state machine. An active job is leased by one queue
 * instance (`owner`, `lease_until`); a lease that lapses (its process died)
 * puts the job back to waiting. Finishing writes check the owner, so a
 * process that lost its lease cannot overwrite the new run's outcome.
 */
export class JobStore {
  constructor(private readonly db: SqliteDatabase) {}

  /** Returns the unfinished job with the same id instead of adding one (dedup); a finished one is replaced. */
  enqueue(job: NewJob, now: number): JobRecord {
    return this.db.write(() => {
      const existing = this.db.statement(`SELECT * FROM jobs WHERE queue = ? AND job_id = ? AND status IN ${UNFINISHED}`).get(job.queue, job.jobId) as
        JobRow | undefined;
      if (existing) return toRecord(existing);
      this.db.statement('DELETE FROM jobs WHERE queue = ? AND job_id = ?').run(job.queue, job.jobId);
      const row = this.db
        .statement(
          `INSERT INTO jobs (queue, job_id, name, data, status, max_attempts, backoff_ms, run_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(
          job.queue,
          job.jobId,
          job.name,
          JSON.stringify(job.data ?? null),
          job.delayMs > 0 ? 'delayed' : 'waiting',
          job.maxAttempts,
          job.backoffMs,
          now + job.delayMs,
          now,
        ) as JobRow;
      return toRecord(row);
    });
  }

  get(queue: QueueName, jobId: string): JobRecord | null {
    const row = this.db.statement('SELECT * FROM jobs WHERE queue = ? AND job_id = ?').get(queue, jobId) as JobRow | undefined;
    return row ? toRecord(row) : null;
  }

  /** Newest first. */
  list(queue: QueueName, status: JobStatus | undefined, limit: number): JobRecord[] {
    const rows =
      status === undefined
        ? this.db.statement('SELECT * FROM jobs WHERE queue = ? ORDER BY created_at DESC, rowid DESC LIMIT ?').all(queue, limit)
        : this.db.statement('SELECT * FROM jobs WHERE queue = ? AND status = ? ORDER BY created_at DESC, rowid DESC LIMIT ?').all(queue, status, limit);
    return (rows as JobRow[]).map(toRecord);
  }

  /** A delayed job whose time has come counts as waiting, as listings show it. */
  depth(queue: QueueName, now: number): QueueDepth {
    const row = this.db
      .statement(
        `SELECT COALESCE(SUM(status = 'waiting' OR (status = 'delayed' AND run_at <= @now)), 0) AS waiting,
                COALESCE(SUM(status = 'delayed' AND run_at > @now), 0) AS delayed,
                COALESCE(SUM(status = 'active'), 0) AS active
         FROM jobs WHERE queue = @queue AND status IN ('waiting', 'delayed', 'active')`,
      )
      .get({ queue, now }) as QueueDepth;
    return { waiting: row.waiting, delayed: row.delayed, active: row.active };
  }

  /** Delayed jobs whose time has come become waiting, so listings show what is runnable. */
  promoteDue(now: number): void {
    this.db.statement("UPDATE jobs SET status = 'waiting' WHERE status = 'delayed' AND run_at <= ?").run(now);
  }

  /** Takes the oldest due job with one of `names` and leases it to `owner`. */
  claim(queue: QueueName, names: readonly string[], owner: string, now: number, leaseMs: number): JobRecord | null {
    const row = this.db
      .statement(
        `UPDATE jobs SET status = 'active', attempts_made = attempts_made + 1, started_at = ?, owner = ?, lease_until = ?
         WHERE rowid = (SELECT rowid FROM jobs WHERE queue = ? AND status IN ('waiting', 'delayed') AND run_at <= ?
                        AND name IN (SELECT value FROM json_each(?)) ORDER BY run_at, rowid LIMIT 1)
         RETURNING *`,
      )
      .get(now, owner, now + leaseMs, queue, now, JSON.stringify(names)) as JobRow | undefined;
    return row ? toRecord(row) : null;
  }

  /** When the next delayed job of these names is due, if any. */
  nextDueAt(queue: QueueName, names: readonly string[]): number | null {
    const row = this.db
      .statement("SELECT MIN(run_at) AS due FROM jobs WHERE queue = ? AND status = 'delayed' AND name IN (SELECT value FROM json_each(?))")
      .get(queue, JSON.stringify(names)) as { due: number | null };
    return row.due;
  }

  complete(queue: QueueName, jobId: string, owner: string, result: unknown, now: number): void {
    this.db
      .statement(
        `UPDATE jobs SET status = CASE WHEN cancel_requested = 1 THEN 'cancelled' ELSE 'completed' END,
           result = ?, progress = CASE WHEN cancel_requested = 1 THEN progress ELSE 100 END, finished_at = ?, owner = NULL, lease_until = NULL
         WHERE queue = ? AND job_id = ? AND status = 'active' AND owner = ?`,
      )
      .run(JSON.stringify(result ?? null), now, queue, jobId, owner);
  }

  /** Retries after backoff·2^(attempt−1) while attempts remain, else fails for good. A cancelled job is not retried. */
  fail(queue: QueueName, jobId: string, owner: string, reason: string, now: number): void {
    this.db
      .statement(
        `UPDATE jobs SET
           status = CASE WHEN cancel_requested = 1 THEN 'cancelled' WHEN attempts_made < max_attempts THEN 'delayed' ELSE 'failed' END,
           run_at = ? + backoff_ms * (1 << (attempts_made - 1)),
           finished_at = CASE WHEN cancel_requested = 0 AND attempts_made < max_attempts THEN NULL ELSE ? END,
           failed_reason = ?, owner = NULL, lease_until = NULL
         WHERE queue = ? AND job_id = ? AND status = 'active' AND owner = ?`,
      )
      .run(now, now, reason, queue, jobId, owner);
  }

  /** Stores progress; returns whether the job was cancelled meanwhile (possibly by another process). */
  progress(queue: QueueName, jobId: string, owner: string, progress: number, stage: string | undefined): boolean {
    const row = this.db
      .statement(
        "UPDATE jobs SET progress = ?, stage = coalesce(?, stage) WHERE queue = ? AND job_id = ? AND status = 'active' AND owner = ? RETURNING cancel_requested",
      )
      .get(progress, stage ?? null, queue, jobId, owner) as { cancel_requested: number } | undefined;
    return row?.cancel_requested === 1;
  }

  /** Waiting and delayed jobs become cancelled; an active one is flagged for its handler. */
  cancel(queue: QueueName, jobId: string, now: number): boolean {
    const pending = this.db
      .statement("UPDATE jobs SET status = 'cancelled', finished_at = ? WHERE queue = ? AND job_id = ? AND status IN ('waiting', 'delayed')")
      .run(now, queue, jobId).changes;
    if (pending > 0) return true;
    return this.db.statement("UPDATE jobs SET cancel_requested = 1 WHERE queue = ? AND job_id = ? AND status = 'active'").run(queue, jobId).changes > 0;
  }

  renewLeases(owner: string, leaseUntil: number): void {
    this.db.statement("UPDATE jobs SET lease_until = ? WHERE owner = ? AND status = 'active'").run(leaseUntil, owner);
  }

  /** Jobs whose owner stopped renewing (it crashed) run again; the lost attempt still counts. */
  requeueExpired(now: number): number {
    return this.db
      .statement("UPDATE jobs SET status = 'waiting', run_at = ?, owner = NULL, lease_until = NULL WHERE status = 'active' AND lease_until < ?")
      .run(now, now).changes;
  }

  pruneFinished(finishedBefore: number): number {
    return this.db.statement("DELETE FROM jobs WHERE status IN ('completed', 'failed', 'cancelled') AND finished_at < ?").run(finishedBefore).changes;
  }
}
