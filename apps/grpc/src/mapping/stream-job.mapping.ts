import { pageQuerySchema, toPageRequest, type StreamJobStatus } from '@lemo/application';
import { DomainError, offsetOf, pageInfo, parseOrThrow } from '@lemo/domain';
import { recommender } from '@lemo/contracts';
import { presentNumber } from './proto-values';

const { JobStatus } = recommender;

/**
 * A stream job of the streams app as the contract's FlinkJob: the job's name is its id (and its
 * name), the bus consumer group stands where a Flink job id would, the reporting process where a
 * cluster URL would; what the processes report goes in job_config. Templates, submissions and
 * savepoints have no counterpart: those RPCs stay UNIMPLEMENTED.
 */
export function flinkJobOf(job: StreamJobStatus): recommender.FlinkJob {
  const report = job.report;
  return recommender.FlinkJob.fromPartial({
    job_id: job.name,
    job_name: job.name,
    flink_job_id: job.consumer_group,
    flink_cluster_url: report?.instance ?? '',
    status: statusOf(job),
    job_config: {
      description: job.description,
      consumer_group: job.consumer_group,
      desired_state: job.desired_state,
      ...(report && {
        reported_state: report.state,
        processed_events: report.processed_events,
        batches: report.batches,
        pending_rows: report.pending_rows,
        last_batch_at: report.last_batch_at,
        reported_at: report.reported_at,
      }),
    },
    ...(report?.last_batch_at != null && { end_time: new Date(report.last_batch_at) }),
  });
}

/**
 * RUNNING only when a streams process reports the job running; asked to run but reported by no
 * process (no streams app up, or not yet) is CREATED; paused is SUSPENDED, stopped CANCELLED.
 */
function statusOf(job: StreamJobStatus): recommender.JobStatus {
  switch (job.desired_state) {
    case 'paused':
      return JobStatus.SUSPENDED;
    case 'stopped':
      return JobStatus.CANCELLED;
    case 'running':
      return job.report?.state === 'running' ? JobStatus.RUNNING : JobStatus.CREATED;
  }
}

const STATUS_NAMES: Record<string, recommender.JobStatus> = {
  CREATED: JobStatus.CREATED,
  RUNNING: JobStatus.RUNNING,
  SUSPENDED: JobStatus.SUSPENDED,
  CANCELLED: JobStatus.CANCELLED,
};

/** ListJobs' `status` filter: empty for all, else one of the statuses a stream job can be in. */
export function statusFilterOf(status: string): recommender.JobStatus | undefined {
  if (status === '') return undefined;
  const found = STATUS_NAMES[status.toUpperCase()];
  if (found === undefined) throw DomainError.invalid('status', `one of ${Object.keys(STATUS_NAMES).join(', ')} (or empty for all)`);
  return found;
}

export function pageOfJobs(jobs: recommender.FlinkJob[], page: number, pageSize: number): recommender.ListJobsResponse {
  const request = toPageRequest(parseOrThrow(pageQuerySchema, { page: presentNumber(page), page_size: presentNumber(pageSize) }, 'page'));
  const items = jobs.slice(offsetOf(request), offsetOf(request) + request.pageSize);
  return { jobs: items, page_info: pageInfo({ items, total: jobs.length, page: request.page, pageSize: request.pageSize }) };
}
