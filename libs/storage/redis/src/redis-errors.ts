import { DomainError } from '@lemo/domain';

/** Server replies that mean "cannot serve right now" rather than "this request is wrong". */
const TRANSIENT_REPLIES = /^(OOM|LOADING|BUSY|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|NOREPLICAS|MISCONF)\b/;

/** ioredis reports lost connections, retries given up, timeouts and commands refused while reconnecting ("Stream isn't writeable") with these. */
const CONNECTION_FAILURE = /connection|closed|timed out|isn't writeable|ECONN|EPIPE|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|EAI_AGAIN/i;

function describe(error: unknown): { name: string; message: string } {
  if (typeof error !== 'object' || error === null) return { name: '', message: String(error) };
  const { name, message } = error as { name?: unknown; message?: unknown };
  return { name: typeof name === 'string' ? name : '', message: typeof message === 'string' ? message : String(error) };
}

/**
 * Maps what ioredis throws to a DomainError (DomainErrors pass through):
 * connection trouble and transient server states are UNAVAILABLE, any other
 * server reply (a bug: wrong type, bad script) is INTERNAL.
 */
export function toDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  const { name, message } = describe(error);
  const unavailable = name === 'ReplyError' ? TRANSIENT_REPLIES.test(message) : name === 'MaxRetriesPerRequestError' || CONNECTION_FAILURE.test(message);
  const mapped = new DomainError(unavailable ? 'UNAVAILABLE' : 'INTERNAL', `redis: ${message}`);
  mapped.cause = error;
  return mapped;
}

/** Runs Redis work whose only failure type is DomainError. */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toDomainError(error);
  }
}
