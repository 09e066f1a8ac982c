import { ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { DomainError } from '@lemo/domain';
import { toDomainError } from './clickhouse-errors';
import type { ClickHouseStorageOptions } from './clickhouse-storage.options';
import { qualified, type SqlParams } from './sql/sql-params';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * A client for the storage: not bound to a database (statements name it, so
 * the migration can create it), errors left to the adapters to map (its own
 * logging is off), and long parameter lists (the event ids of a batch) sent as
 * multipart bodies instead of over-long URLs.
 */
export function createClickHouseClient(options: Pick<ClickHouseStorageOptions, 'url' | 'username' | 'password' | 'requestTimeoutMs'>): ClickHouseClient {
  return createClient({
    url: options.url,
    username: options.username ?? 'default',
    password: options.password ?? '',
    request_timeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    use_multipart_params_auto: true,
    log: { level: ClickHouseLogLevel.OFF },
  });
}

/** 64-bit integers arrive as JSON strings (output_format_json_quote_64bit_integers): every count goes through this. */
export const toNumber = (value: string | number): number => (typeof value === 'number' ? value : Number(value));

/**
 * The storage's client and database, with one way to run each kind of
 * statement: DomainErrors only, and UNAVAILABLE once closed (the client itself
 * would silently reconnect).
 */
export class ClickHouseConnection {
  private closing: Promise<void> | null = null;

  constructor(
    readonly client: ClickHouseClient,
    readonly database: string,
  ) {}

  get isOpen(): boolean {
    return this.closing === null;
  }

  table(name: string): string {
    return qualified(this.database, name);
  }

  rows<T>(query: string, params?: SqlParams, settings?: ClickHouseSettings): Promise<T[]> {
    return this.run(async () => {
      const result = await this.client.query({ query, query_params: params?.values, clickhouse_settings: settings, format: 'JSONEachRow' });
      return result.json<T>();
    });
  }

  command(query: string, params?: SqlParams, settings?: ClickHouseSettings): Promise<void> {
    return this.run(async () => {
      await this.client.command({ query, query_params: params?.values, clickhouse_settings: settings });
    });
  }

  insert(table: string, values: readonly Record<string, unknown>[], settings?: ClickHouseSettings): Promise<void> {
    return this.run(async () => {
      await this.client.insert({ table: this.table(table), values: [...values], format: 'JSONEachRow', clickhouse_settings: settings });
    });
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (!this.isOpen) throw new DomainError('UNAVAILABLE', 'clickhouse storage is closed');
    try {
      return await work();
    } catch (error) {
      throw toDomainError(error);
    }
  }

  /** Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.client.close();
    return this.closing;
  }
}
