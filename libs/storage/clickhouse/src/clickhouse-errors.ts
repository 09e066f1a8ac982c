import { ClickHouseError } from '@clickhouse/client';
import { DomainError } from '@lemo/domain';

/**
 * Server error types (the `(TYPE)` at the end of a ClickHouse exception) that
 * mean "cannot serve right now": overload, limits, timeouts, a read-only or
 * unreachable replica, credentials or a database that are not (yet) there.
 * Anything else the server refuses is a bug in our SQL: INTERNAL.
 */
const UNAVAILABLE_TYPES = new Set([
  'TIMEOUT_EXCEEDED',
  'TOO_SLOW',
  'SOCKET_TIMEOUT',
  'NETWORK_ERROR',
  'NO_FREE_CONNECTION',
  'ALL_CONNECTION_TRIES_FAILED',
  'TOO_MANY_SIMULTANEOUS_QUERIES',
  'MEMORY_LIMIT_EXCEEDED',
  'TOO_MANY_PARTS',
  'READONLY',
  'TABLE_IS_READ_ONLY',
  'QUERY_WAS_CANCELLED',
  'ABORTED',
  'SERVER_OVERLOADED',
  'AUTHENTICATION_FAILED',
  'REQUIRED_PASSWORD',
  'UNKNOWN_DATABASE',
  'KEEPER_EXCEPTION',
]);

/** What Node's HTTP stack and the client throw when the server cannot be reached or answers too late. */
const CONNECTION_FAILURE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|EAI_AGAIN|socket hang up|timeout/i;

function describe(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { code, message } = error as { code?: unknown; message?: unknown };
  return [typeof code === 'string' ? code : '', typeof message === 'string' ? message : ''].filter(Boolean).join(' ') || String(error);
}

/** Maps what @clickhouse/client throws to a DomainError; DomainErrors pass through untouched. */
export function toDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  let mapped: DomainError;
  if (error instanceof ClickHouseError) {
    const code = UNAVAILABLE_TYPES.has(error.type ?? '') ? 'UNAVAILABLE' : 'INTERNAL';
    mapped = new DomainError(code, `clickhouse: ${error.message.trim()} (${error.type ?? error.code})`);
  } else {
    const text = describe(error);
    mapped = new DomainError(CONNECTION_FAILURE.test(text) ? 'UNAVAILABLE' : 'INTERNAL', `clickhouse: ${text}`);
  }
  mapped.cause = error;
  return mapped;
}
