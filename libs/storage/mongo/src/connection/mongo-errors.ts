import { DomainError } from '@lemo/domain';

/** Names the document a write was about, so a duplicate key reads "scenario 'x' already exists". */
export interface ErrorSubject {
  entity: string;
  id: string;
}

/** Server codes of a unique index violation (11001 and 12582 are legacy forms of 11000). */
const DUPLICATE_KEY_CODES = new Set([11000, 11001, 12582]);

/**
 * Driver and mongoose error classes that mean "the server cannot be reached
 * right now", not "the request is wrong". Matched by name rather than
 * instanceof: under Jest's module registries the classes may come from another
 * copy of the driver.
 */
const UNAVAILABLE_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
  'MongoPoolClosedError',
  'MongoPoolClearedError',
  'MongoServerClosedError',
  'MongoWaitQueueTimeoutError',
]);

/** Server codes of a node that is shutting down, stepping down, unreachable or out of time. */
const UNAVAILABLE_CODES = new Set([6, 7, 50, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

/** Labels the driver attaches to errors that a retry may cure. */
const UNAVAILABLE_LABELS = ['ResetPool', 'RetryableWriteError', 'SystemOverloadedError'];

/** Messages of mongoose errors about a closed or never-opened connection (those carry no code). */
const CLOSED_CONNECTION =
  /buffering timed out|connection (was )?(force )?closed|client must be connected|topology is closed|before initial connection is complete/i;

interface DriverErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  hasErrorLabel?: (label: string) => boolean;
}

const shapeOf = (error: unknown): DriverErrorShape => (typeof error === 'object' && error !== null ? (error as DriverErrorShape) : {});

function withCause(error: DomainError, cause: unknown): DomainError {
  error.cause = cause;
  return error;
}

export const isDuplicateKeyError = (error: unknown): boolean => {
  const { code } = shapeOf(error);
  return typeof code === 'number' && DUPLICATE_KEY_CODES.has(code);
};

function isUnavailable(shape: DriverErrorShape, message: string): boolean {
  if (typeof shape.name === 'string' && UNAVAILABLE_NAMES.has(shape.name)) return true;
  if (typeof shape.code === 'number' && UNAVAILABLE_CODES.has(shape.code)) return true;
  if (typeof shape.hasErrorLabel === 'function' && UNAVAILABLE_LABELS.some((label) => shape.hasErrorLabel?.(label))) return true;
  return CLOSED_CONNECTION.test(message);
}

/** Maps anything mongoose or the driver throws to a DomainError; DomainErrors pass through untouched. */
export function toDomainError(error: unknown, subject?: ErrorSubject): DomainError {
  if (error instanceof DomainError) return error;
  const shape = shapeOf(error);
  const message = typeof shape.message === 'string' ? shape.message : String(error);
  if (isDuplicateKeyError(error)) {
    return withCause(subject ? DomainError.alreadyExists(subject.entity, subject.id) : new DomainError('ALREADY_EXISTS', 'the record already exists'), error);
  }
  if (isUnavailable(shape, message)) return withCause(new DomainError('UNAVAILABLE', `mongodb unavailable: ${message}`), error);
  return withCause(new DomainError('INTERNAL', `mongodb error: ${message}`), error);
}

/** Runs a database call whose only failure type is DomainError. */
export async function guarded<T>(work: () => Promise<T>, subject?: ErrorSubject): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toDomainError(error, subject);
  }
}

/**
 * Runs an upsert again once when it hit a duplicate key: two writers that
 * upsert the same new key at once can both try the insert, and the loser's
 * retry then finds the document and replaces it.
 */
export async function retryingDuplicateUpsert<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await guarded(work);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'ALREADY_EXISTS') return guarded(work);
    throw error;
  }
}

/** The part of a bulk write error read here: which documents failed, and why (the driver gives one or an array). */
interface BulkWriteFailure {
  writeErrors?: ReadonlyArray<{ index: number; code: number }> | { index: number; code: number };
}

/**
 * True when a write failed only because a unique index refused documents: a
 * bulk error all of whose write errors are duplicate keys (its own code is
 * just its first write error's), or a duplicate key error without write
 * errors (a command-level one, which the driver wraps with an empty list).
 */
export function isDuplicateKeyOnly(error: unknown): boolean {
  const reported = typeof error === 'object' && error !== null ? (error as BulkWriteFailure).writeErrors : undefined;
  const writeErrors = reported === undefined ? [] : Array.isArray(reported) ? reported : [reported];
  if (writeErrors.length === 0) return isDuplicateKeyError(error);
  return writeErrors.every((writeError) => isDuplicateKeyError(writeError));
}

/** Positions (in the batch) of the documents a bulk insert refused as duplicates; rethrows, mapped, if anything else failed. */
export function duplicateIndexes(error: unknown): Set<number> {
  const reported = typeof error === 'object' && error !== null ? (error as BulkWriteFailure).writeErrors : undefined;
  const writeErrors = reported === undefined ? [] : Array.isArray(reported) ? reported : [reported];
  if (writeErrors.length === 0 || !writeErrors.every((writeError) => isDuplicateKeyError(writeError))) throw toDomainError(error);
  return new Set(writeErrors.map((writeError) => writeError.index));
}
