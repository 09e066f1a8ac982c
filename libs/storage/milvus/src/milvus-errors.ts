import { DomainError } from '@lemo/domain';

/** The status every Milvus response carries (the SDK's ResStatus, reduced to what is read here). */
export interface MilvusStatus {
  error_code: string | number;
  code?: number;
  reason: string;
  retriable?: boolean;
}

/** Milvus' "collection not found" (merr.ErrCollectionNotFound) and "index not found" (merr.ErrIndexNotFound) codes. */
export const COLLECTION_NOT_FOUND = 100;
export const INDEX_NOT_FOUND = 700;

/** gRPC status codes the SDK throws when the server cannot be reached or did not answer in time. */
const GRPC_UNREACHABLE = new Set([1 /* CANCELLED */, 4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 14 /* UNAVAILABLE */]);

/** Milvus error names meaning "not now", as opposed to "your request is wrong". */
const BUSY_ERROR_CODES = new Set(['RateLimit', 'ForceDeny', 'NotReadyServe', 'NotReadyCoordActivating', 'TimeTickLongDelay']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export const isMilvusStatus = (value: unknown): value is MilvusStatus => isObject(value) && 'error_code' in value && 'reason' in value;

export const isSuccess = (status: MilvusStatus): boolean => status.error_code === 'Success' || (status.error_code === 0 && !status.code);

/** The numeric code of a status: recent servers send `code`, older ones only `error_code`. */
export const codeOf = (status: MilvusStatus): number | undefined => status.code ?? (typeof status.error_code === 'number' ? status.error_code : undefined);

function withCause(error: DomainError, cause: unknown): DomainError {
  error.cause = cause;
  return error;
}

/** Maps a non-success status of `what` (e.g. "search") to a DomainError. */
export function statusError(what: string, status: MilvusStatus): DomainError {
  const message = `milvus ${what} failed: ${status.reason || String(status.error_code)}`;
  if (codeOf(status) === COLLECTION_NOT_FOUND || status.error_code === 'CollectionNotExists') {
    return withCause(new DomainError('FAILED_PRECONDITION', `${message} (the collection is created when the storage starts)`), status);
  }
  if (status.retriable || BUSY_ERROR_CODES.has(String(status.error_code))) return withCause(new DomainError('UNAVAILABLE', message), status);
  return withCause(new DomainError('INTERNAL', message), status);
}

/** Maps anything the SDK throws to a DomainError; DomainErrors pass through untouched. */
export function toDomainError(what: string, error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  // Some SDK methods (createCollection) throw the server's status instead of returning it.
  if (isMilvusStatus(error)) return statusError(what, error);
  const code = isObject(error) ? error.code : undefined;
  const message = isObject(error) && typeof error.message === 'string' ? error.message : String(error);
  if (typeof code === 'number' && GRPC_UNREACHABLE.has(code))
    return withCause(new DomainError('UNAVAILABLE', `milvus unreachable during ${what}: ${message}`), error);
  // The SDK's channel pool refuses work once closeConnection() ran (shutdown in progress).
  if (/pool is draining/i.test(message)) return withCause(new DomainError('UNAVAILABLE', `milvus client is closed (${what})`), error);
  return withCause(new DomainError('INTERNAL', `milvus ${what} failed: ${message}`), error);
}

type Response = MilvusStatus | { status: MilvusStatus };

const statusOf = (response: Response): MilvusStatus => ('status' in response ? response.status : response);

/**
 * Runs one SDK call and returns its response only if Milvus reported success:
 * the SDK resolves most failures as a status instead of rejecting, and throws
 * connection failures; both become DomainErrors. `accept` lets a caller treat
 * a specific status (e.g. "index not found") as an answer rather than a failure.
 */
export async function milvusCall<T extends Response>(
  what: string,
  call: () => Promise<T>,
  accept: (status: MilvusStatus) => boolean = () => false,
): Promise<T> {
  let response: T;
  try {
    response = await call();
  } catch (error) {
    throw toDomainError(what, error);
  }
  const status = statusOf(response);
  if (!isSuccess(status) && !accept(status)) throw statusError(what, status);
  return response;
}
