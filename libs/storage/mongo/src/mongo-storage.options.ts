import { DomainError } from '@lemo/domain';

export interface MongoStorageOptions {
  /** `mongodb://` or `mongodb+srv://` URL (MongoDB or FerretDB). */
  url: string;
  /** Database holding every collection; tenants share it, each document carries its tenant. */
  database: string;
  /** How long an operation waits for a reachable server before failing with UNAVAILABLE (default 5 s). */
  serverSelectionTimeoutMs?: number;
  /** Connections in the pool (driver default 100). */
  maxPoolSize?: number;
  /**
   * EventStore.readAppended holds back events appended less than this long ago
   * (default 10 s; 0 returns everything at once, safe with one writing process):
   * see MongoEventStore.readAppended.
   */
  appendedSettleMs?: number;
}

export const MONGO_STORAGE_OPTIONS = Symbol('MONGO_STORAGE_OPTIONS');

export const DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 5000;

export const DEFAULT_APPENDED_SETTLE_MS = 10_000;

/** MongoDB database names: no '/\\. "$*<>:|?' and at most 63 bytes. */
const DATABASE_NAME = /^[^/\\. "$*<>:|?]{1,63}$/;

export function checkOptions(options: MongoStorageOptions): void {
  if (!/^mongodb(\+srv)?:\/\//.test(options.url ?? '')) throw DomainError.invalid('url', 'must be a mongodb:// or mongodb+srv:// URL');
  if (!DATABASE_NAME.test(options.database ?? '')) throw DomainError.invalid('database', 'must be a valid MongoDB database name');
  const timeout = options.serverSelectionTimeoutMs;
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0)) throw DomainError.invalid('serverSelectionTimeoutMs', 'must be a positive integer');
  const settle = options.appendedSettleMs;
  if (settle !== undefined && !(Number.isInteger(settle) && settle >= 0)) throw DomainError.invalid('appendedSettleMs', 'must be a non-negative integer');
}
