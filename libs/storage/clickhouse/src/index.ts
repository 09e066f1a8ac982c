export { ClickHouseAnalyticsStore, type ClickHouseAnalyticsOptions } from './analytics/analytics-store.adapter';
export { createClickHouseClient } from './clickhouse-connection';
export { ClickHouseStorage } from './clickhouse-storage';
export {
  CLICKHOUSE_PORTS,
  ClickHouseStorageModule,
  type ClickHousePortSelection,
  type ClickHousePortToken,
  type ClickHouseStorageAsyncOptions,
} from './clickhouse-storage.module';
export { CLICKHOUSE_STORAGE_OPTIONS, type ClickHouseStorageOptions } from './clickhouse-storage.options';
export { ClickHouseHealthIndicator } from './health/clickhouse-health.indicator';
export {
  CLICKHOUSE_MIGRATIONS,
  DEFAULT_RETENTION_DAYS,
  MAX_RETENTION_DAYS,
  migrateClickHouse,
  type ClickHouseMigration,
  type MigrationOptions,
  type MigrationReport,
} from './schema/migrations';
