import { Injectable } from '@nestjs/common';
import { Cache, cacheKey } from '@lemo/domain';
import { STREAM_JOB_STATES, type StreamJobState } from './stream-job';

/** What a process running a job last reported about it. */
export interface StreamJobReport {
  /** host:pid of the reporting process. */
  instance: string;
  state: StreamJobState;
  /** Events handled (and made durable) by that process since it started. */
  processed_events: number;
  batches: number;
  /** Unix ms of the last batch handled; null before the first. */
  last_batch_at: number | null;
  /** Rows held for the next write. */
  pending_rows: number;
  reported_at: number;
}

/** Reports expire: a job no process reports on for this long is not running anywhere. */
export const REPORT_TTL_SECONDS = 30;

/** Not a tenant id (those start with a letter or digit), so these keys never meet a tenant's. */
const SYSTEM = '_system';
const desiredKey = (job: string) => cacheKey(SYSTEM, 'stream-jobs', job, 'desired');
const reportKey = (job: string) => cacheKey(SYSTEM, 'stream-jobs', job, 'report');

/**
 * The desired state of each stream job and the running processes' reports,
 * in the shared cache (Redis on the cluster profile), so the API or gRPC
 * process that changes a state and every streams process that honours it
 * read the same value. A job with no desired state stored runs.
 */
@Injectable()
export class StreamJobControl {
  constructor(private readonly cache: Cache) {}

  async desired(job: string): Promise<StreamJobState> {
    const state = await this.cache.get<string>(desiredKey(job));
    return (STREAM_JOB_STATES as readonly string[]).includes(state ?? '') ? (state as StreamJobState) : 'running';
  }

  /** Kept until changed (no TTL). */
  setDesired(job: string, state: StreamJobState): Promise<void> {
    return this.cache.set(desiredKey(job), state, 0);
  }

  report(job: string, report: StreamJobReport): Promise<void> {
    return this.cache.set(reportKey(job), report, REPORT_TTL_SECONDS);
  }

  lastReport(job: string): Promise<StreamJobReport | null> {
    return this.cache.get<StreamJobReport>(reportKey(job));
  }
}
