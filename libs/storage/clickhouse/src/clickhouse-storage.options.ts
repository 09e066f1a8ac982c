import { DomainError } from '@lemo/domain';
import { checkRetentionDays } from './schema/migrations';
import { checkDatabaseName } from './sql/sql-params';

export interface ClickHouseStorageOptions {
  /** HTTP(S) endpoint of the server, e.g. `http://127.0.0.1:8123`. */
  url: string;
  /** Database of every table; created by the migration when missing. Tenants share it, each row carries its tenant. */
  database: string;
  username?: string;
  password?: string;
  /**
   * Days events and rollups are kept (TTL), 1..3650. Tables are created with it
   * (default 365); when set, an existing schema's TTLs are changed to it at start.
   */
  retentionDays?: number;
  /** How long one request may take before failing with UNAVAILABLE (default 30 s). */
  requestTimeoutMs?: number;
}

export const CLICKHOUSE_STORAGE_OPTIONS = Symbol('CLICKHOUSE_STORAGE_OPTIONS');

export function checkOptions(options: ClickHouseStorageOptions): void {
  if (!/^https?:\/\/[^\s/]+/.test(options.url ?? '')) throw DomainError.invalid('url', 'must be an http:// or https:// URL');
  checkDatabaseName(options.database);
  checkRetentionDays(options.retentionDays);
  const timeout = options.requestTimeoutMs;
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0)) throw DomainError.invalid('requestTimeoutMs', 'must be a positive integer');
}
