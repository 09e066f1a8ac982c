import { DomainError } from '@lemo/domain';
import { messageOf } from '../error-message';

/** Names the document a write was about, so a UNIQUE violation reads "scenario 'x' already exists". */
export interface ErrorSubject {
  entity: string;
  id: string;
}

/** SQLite result codes that mean "the store cannot serve right now", not "your request is wrong". */
const UNAVAILABLE_CODES = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT',
  'SQLITE_PROTOCOL',
];

/**
 * The SQLITE_* code of a driver error. Duck-typed rather than `instanceof
 * SqliteError`: the native addon keeps the error class of whichever copy of
 * better-sqlite3 loaded it first, which differs from ours under Jest's module registries.
 */
function sqliteCode(error: unknown): string | null {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
}

function withCause(error: DomainError, cause: unknown): DomainError {
  error.cause = cause;
  return error;
}

/** Maps anything better-sqlite3 throws to a DomainError; DomainErrors pass through untouched. */
export function toDomainError(error: unknown, subject?: ErrorSubject): DomainError {
  if (error instanceof DomainError) return error;
  const code = sqliteCode(error);
  if (code) {
    if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
      return withCause(subject ? DomainError.alreadyExists(subject.entity, subject.id) : new DomainError('ALREADY_EXISTS', 'the record already exists'), error);
    }
    if (code.startsWith('SQLITE_CONSTRAINT')) return withCause(new DomainError('CONFLICT', `storage constraint violated (${code})`), error);
    if (UNAVAILABLE_CODES.some((prefix) => code.startsWith(prefix)))
      return withCause(new DomainError('UNAVAILABLE', `embedded database unavailable (${code})`), error);
    return withCause(new DomainError('INTERNAL', `embedded database error (${code})`), error);
  }
  const message = messageOf(error);
  // better-sqlite3 throws a TypeError once the connection is closed (e.g. during shutdown).
  if (/database connection is not open/i.test(message)) return withCause(new DomainError('UNAVAILABLE', 'embedded database is closed'), error);
  return withCause(new DomainError('INTERNAL', message), error);
}

/** Runs a synchronous database call as a promise whose only failure type is DomainError. */
export async function guarded<T>(work: () => T, subject?: ErrorSubject): Promise<T> {
  try {
    return work();
  } catch (error) {
    throw toDomainError(error, subject);
  }
}
