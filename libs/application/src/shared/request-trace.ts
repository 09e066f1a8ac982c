import type { JobRecord } from '@lemo/domain';
import { currentRequestId, runWithRequestContext } from '@lemo/platform-observability';

/**
 * Carries the id of the API request (X-Request-Id, or the gRPC x-request-id)
 * into the work it causes elsewhere, so one id finds every log line of it:
 * job data (`request_id`, read back when a worker runs the job) and bus
 * message headers (`request_id`, read by the consumer and stream jobs).
 */
export const REQUEST_ID_HEADER = 'request_id';

/** The request id a message carries (ours, or `x-request-id` as other producers set it). */
export const requestIdHeader = (headers: Readonly<Record<string, string>>): string | undefined => headers[REQUEST_ID_HEADER] ?? headers['x-request-id'];

/** The job's data with the current request's id, if there is one. */
export function withRequestId<T extends object>(data: T): T & { request_id?: string } {
  const requestId = currentRequestId();
  return requestId ? { ...data, request_id: requestId } : data;
}

/** Message headers with the current request's id, if there is one. */
export function withRequestIdHeader(headers: Record<string, string>): Record<string, string> {
  const requestId = currentRequestId();
  return requestId ? { ...headers, [REQUEST_ID_HEADER]: requestId } : headers;
}

/**
 * Runs a job's handler with the request id it was queued under in every log
 * line, or `job:<queue>:<id>` for a job no request queued (beat's ticks), so
 * the lines of one run still share an id.
 */
export function runInJobContext<T>(job: JobRecord<unknown>, run: () => T): T {
  const queuedBy = typeof job.data === 'object' && job.data !== null ? (job.data as { request_id?: unknown }).request_id : undefined;
  return runWithRequestContext({ requestId: typeof queuedBy === 'string' ? queuedBy : `job:${job.queue}:${job.job_id}` }, run);
}
