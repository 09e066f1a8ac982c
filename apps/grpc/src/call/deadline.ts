import type { ServerUnaryCall } from '@grpc/grpc-js';
import { GrpcStatusError } from './grpc-status-error';

/** What the deadline check reads of a call. */
export type DeadlineBoundCall = Pick<ServerUnaryCall<unknown, unknown>, 'getDeadline' | 'getPath' | 'cancelled'>;

/**
 * Fails with DEADLINE_EXCEEDED when the client's deadline passes first, so no handler outlives it
 * from the client's view. A call that arrives already expired does no work at all. Work already
 * started finishes in the background: the use cases take no cancellation signal yet.
 */
export async function withinDeadline<Res>(call: DeadlineBoundCall, work: () => Promise<Res>): Promise<Res> {
  const deadline = call.getDeadline();
  const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
  if (!Number.isFinite(deadlineMs)) return work();
  const remainingMs = deadlineMs - Date.now();
  if (remainingMs <= 0 || call.cancelled) throw GrpcStatusError.deadlineExceeded(call.getPath());
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(GrpcStatusError.deadlineExceeded(call.getPath())), remainingMs);
  });
  try {
    return await Promise.race([work(), expiry]);
  } finally {
    clearTimeout(timer);
  }
}
