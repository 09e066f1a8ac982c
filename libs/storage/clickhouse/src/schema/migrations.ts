import type { ClickHouseClient } from '@clickhouse/client';
import { DomainError } from '@lemo/domain';
import { toDomainError } from '../clickhouse-errors';
import { checkDatabaseName, qualified } from '../sql/sql-params';
import { rollupColumns, rollupSelect, ROLLUPS, type Rollup } from './rollups';

export const DEFAULT_RETENTION_DAYS = 365;
/** TTLs add days to a DateTime, which ends in 2106: ten years keeps every expiry representable. */
export const MAX_RETENTION_DAYS = 3650;

export const USER_BEHAVIORS = 'user_behaviors';
export const EXPERIMENT_ASSIGNMENTS = 'experiment_assignments';
export const SCHEMA_MIGRATIONS = 'schema_migrations';

/**
 * How many recent insert blocks each table remembers to drop a repeated one
 * (by insert_deduplication_token or content hash). MergeTree keeps none by
 * default when not replicated; the views' targets need it too, or a dropped
 * raw block would still be counted by the views.
 */
const DEDUPLICATION_WINDOW = 1000;

export interface ClickHouseMigration {
  version: number;
  name: string;
  /** Idempotent statements (IF NOT EXISTS): a migration interrupted half way is simply run again. */
  statements(database: string, retentionDays: number): string[];
}

/** Every TTL ends in `+ INTERVAL <retention> DAY`, which is how the retention is read back (see ensureRetention). */
const ttl = (expiresFrom: string, retentionDays: number): string => `TTL ${expiresFrom} + INTERVAL ${retentionDays} DAY`;

/** A rollup bucket expires with the last event it can hold: one bucket width after its start. */
const rollupTtlBase = (rollup: Rollup): string => `${rollup.bucket.column} + INTERVAL ${rollup.bucket.widthMs / 3_600_000} HOUR`;

const TTL_BASES: ReadonlyArray<[table: string, expiresFrom: string]> = [
  [USER_BEHAVIORS, 'toDateTime(event_time)'],
  ...ROLLUPS.map((rollup): [string, string] => [rollup.table, rollupTtlBase(rollup)]),
];

/** Schema history; never edit an applied migration, append a new one. */
export const CLICKHOUSE_MIGRATIONS: readonly ClickHouseMigration[] = [
  {
    version: 1,
    name: 'user_behaviors',
    // ReplacingMergeTree collapses rows with equal sorting keys, and a replayed event has the same
    // (tenant_id, scenario_id, event_time, event_id): queries read it with FINAL, so a duplicate that
    // slipped past insertBehaviors' check is never counted, merged or not. Tenant first: one tenant is
    // one key range. The bloom filters serve the event-id check before inserts and the GDPR delete.
    statements: (db, days) => [
      `CREATE TABLE IF NOT EXISTS ${qualified(db, USER_BEHAVIORS)} (
        tenant_id LowCardinality(String),
        scenario_id LowCardinality(String),
        event_time DateTime64(3, 'UTC'),
        event_id String,
        user_id String,
        item_id String,
        action_type LowCardinality(String),
        experiment_id String DEFAULT '',
        experiment_group LowCardinality(String) DEFAULT '',
        request_id String DEFAULT '',
        position Nullable(UInt32),
        value Nullable(Float64),
        device_type LowCardinality(String) DEFAULT '',
        context String DEFAULT '',
        scenario_data String DEFAULT '',
        extra_data String DEFAULT '',
        received_at DateTime64(3, 'UTC'),
        INDEX event_id_bloom event_id TYPE bloom_filter(0.001) GRANULARITY 1,
        INDEX user_id_bloom user_id TYPE bloom_filter(0.01) GRANULARITY 4,
        INDEX experiment_id_bloom experiment_id TYPE bloom_filter(0.01) GRANULARITY 4
      )
      ENGINE = ReplacingMergeTree
      PARTITION BY toYYYYMM(event_time)
      ORDER BY (tenant_id, scenario_id, event_time, event_id)
      ${ttl('toDateTime(event_time)', days)}
      SETTINGS non_replicated_deduplication_window = ${DEDUPLICATION_WINDOW}`,
    ],
  },
  {
    version: 2,
    name: 'rollups',
    statements: (db, days) =>
      ROLLUPS.flatMap((rollup) => [
        `CREATE TABLE IF NOT EXISTS ${qualified(db, rollup.table)} (${rollupColumns(rollup)})
         ENGINE = AggregatingMergeTree
         PARTITION BY toYYYYMM(${rollup.bucket.column})
         ORDER BY (${rollup.orderBy.join(', ')})
         ${ttl(rollupTtlBase(rollup), days)}
         SETTINGS non_replicated_deduplication_window = ${DEDUPLICATION_WINDOW}`,
        `CREATE MATERIALIZED VIEW IF NOT EXISTS ${qualified(db, rollup.view)} TO ${qualified(db, rollup.table)}
         AS ${rollupSelect(rollup, qualified(db, USER_BEHAVIORS))}`,
      ]),
  },
  {
    version: 3,
    name: 'experiment assignments',
    // One row per (tenant, experiment, user) once parts merge, read with FINAL: a repeat of an assignment
    // merges into the earliest assigned_at (min). The variant of a user is deterministic while serving
    // can assign, so `any` keeps it. No TTL: one small row per assigned user, removed by the GDPR delete.
    statements: (db) => [
      `CREATE TABLE IF NOT EXISTS ${qualified(db, EXPERIMENT_ASSIGNMENTS)} (
        tenant_id LowCardinality(String),
        experiment_id String,
        user_id String,
        variant_id SimpleAggregateFunction(any, String),
        assigned_at SimpleAggregateFunction(min, DateTime64(3, 'UTC'))
      )
      ENGINE = AggregatingMergeTree
      ORDER BY (tenant_id, experiment_id, user_id)`,
    ],
  },
];

export interface MigrationOptions {
  /**
   * Days rows are kept (1..3650). Used when the tables are created (default
   * 365); when given, tables created earlier with another retention get their
   * TTL changed (ClickHouse then re-evaluates it on existing parts, in the background).
   */
  retentionDays?: number;
}

export interface MigrationReport {
  database: string;
  /** Migrations applied by this call (none when the schema was current). */
  applied: Array<{ version: number; name: string }>;
  /** Tables whose TTL this call changed to the requested retention. */
  retentionChanged: string[];
}

export function checkRetentionDays(days: number | undefined): void {
  if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= MAX_RETENTION_DAYS)) {
    throw DomainError.invalid('retentionDays', `must be an integer from 1 to ${MAX_RETENTION_DAYS}`);
  }
}

async function rows<T>(client: ClickHouseClient, query: string, query_params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await client.query({ query, query_params, format: 'JSONEachRow' });
  return result.json<T>();
}

/**
 * Creates the database if needed and applies pending migrations in order,
 * recording each in `schema_migrations`. Idempotent, and safe when two
 * processes start together (every statement is IF NOT EXISTS; the history
 * table collapses a version recorded twice). The client must not be bound to
 * `database` itself (the database may not exist yet): every statement names it.
 * Fails with DomainErrors only (VALIDATION_FAILED, UNAVAILABLE, INTERNAL).
 */
export async function migrateClickHouse(client: ClickHouseClient, database: string, options: MigrationOptions = {}): Promise<MigrationReport> {
  checkDatabaseName(database);
  checkRetentionDays(options.retentionDays);
  try {
    return await migrate(client, database, options);
  } catch (error) {
    throw toDomainError(error);
  }
}

async function migrate(client: ClickHouseClient, database: string, options: MigrationOptions): Promise<MigrationReport> {
  const history = qualified(database, SCHEMA_MIGRATIONS);
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS \`${database}\`` });
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${history} (version UInt32, name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
            ENGINE = ReplacingMergeTree ORDER BY version`,
  });
  const done = new Set((await rows<{ version: number }>(client, `SELECT version FROM ${history} FINAL`)).map((row) => Number(row.version)));
  const applied: MigrationReport['applied'] = [];
  for (const migration of CLICKHOUSE_MIGRATIONS) {
    if (done.has(migration.version)) continue;
    for (const statement of migration.statements(database, options.retentionDays ?? DEFAULT_RETENTION_DAYS)) await client.command({ query: statement });
    await client.insert({ table: history, values: [{ version: migration.version, name: migration.name }], format: 'JSONEachRow' });
    applied.push({ version: migration.version, name: migration.name });
  }
  const retentionChanged = options.retentionDays === undefined ? [] : await ensureRetention(client, database, options.retentionDays);
  return { database, applied, retentionChanged };
}

/** Current retention of each TTL'd table, read back from its engine definition. */
export async function retentionOf(client: ClickHouseClient, database: string): Promise<Map<string, number>> {
  const tables = await rows<{ name: string; engine_full: string }>(
    client,
    'SELECT name, engine_full FROM system.tables WHERE database = {database:String} AND name IN {names:Array(String)}',
    { database, names: TTL_BASES.map(([table]) => table) },
  );
  const days = new Map<string, number>();
  for (const table of tables) {
    const match = /toIntervalDay\((\d+)\)/.exec(table.engine_full);
    if (match) days.set(table.name, Number(match[1]));
  }
  return days;
}

async function ensureRetention(client: ClickHouseClient, database: string, retentionDays: number): Promise<string[]> {
  const current = await retentionOf(client, database);
  const changed: string[] = [];
  for (const [table, expiresFrom] of TTL_BASES) {
    if (current.get(table) === retentionDays) continue;
    await client.command({ query: `ALTER TABLE ${qualified(database, table)} MODIFY ${ttl(expiresFrom, retentionDays)}` });
    changed.push(table);
  }
  return changed;
}
