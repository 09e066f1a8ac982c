import type { OnApplicationShutdown } from '@nestjs/common';
import { ClickHouseAnalyticsStore, type ClickHouseAnalyticsOptions } from './analytics/analytics-store.adapter';
import { ClickHouseConnection, createClickHouseClient } from './clickhouse-connection';
import { checkOptions, type ClickHouseStorageOptions } from './clickhouse-storage.options';
import { ClickHouseHealthIndicator } from './health/clickhouse-health.indicator';
import { migrateClickHouse, type MigrationReport } from './schema/migrations';

/** host:port/database of the options, for health details and logs (no credentials). */
const addressOf = (options: ClickHouseStorageOptions): string => `${new URL(options.url).host}/${options.database}`;

/**
 * The ClickHouse adapters over one HTTP client. Opening migrates the schema;
 * the Nest module exposes each adapter as its port, tests and tools may open
 * one directly.
 */
export class ClickHouseStorage implements OnApplicationShutdown {
  readonly analytics: ClickHouseAnalyticsStore;
  readonly health: ClickHouseHealthIndicator;

  private constructor(
    readonly connection: ClickHouseConnection,
    readonly migration: MigrationReport,
    options: ClickHouseStorageOptions & ClickHouseAnalyticsOptions,
  ) {
    this.analytics = new ClickHouseAnalyticsStore(connection, options);
    this.health = new ClickHouseHealthIndicator(connection, addressOf(options));
  }

  /** Validates the options, connects and applies pending migrations; fails with a DomainError (UNAVAILABLE when unreachable). */
  static async open(options: ClickHouseStorageOptions & ClickHouseAnalyticsOptions): Promise<ClickHouseStorage> {
    checkOptions(options);
    const client = createClickHouseClient(options);
    try {
      const report = await migrateClickHouse(client, options.database, { retentionDays: options.retentionDays });
      return new ClickHouseStorage(new ClickHouseConnection(client, options.database), report, options);
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  get database(): string {
    return this.connection.database;
  }

  /** Closes the client; adapters then fail with UNAVAILABLE. Safe to call more than once. */
  close(): Promise<void> {
    return this.connection.close();
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}
