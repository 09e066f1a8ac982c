import { anEvent } from '@lemo/domain/testing';
import type { ClickHouseClient } from '@clickhouse/client';
import { dropDatabase, testOptions } from '../../testing/clickhouse-harness';
import { createClickHouseClient } from '../clickhouse-connection';
import { ClickHouseStorage } from '../clickhouse-storage';
import type { ClickHouseStorageOptions } from '../clickhouse-storage.options';
import { CLICKHOUSE_MIGRATIONS, DEFAULT_RETENTION_DAYS, EXPERIMENT_ASSIGNMENTS, migrateClickHouse, retentionOf, SCHEMA_MIGRATIONS, USER_BEHAVIORS } from './migrations';
import { ROLLUPS } from './rollups';

const DAY = 86_400_000;
const TTL_TABLES = [USER_BEHAVIORS, ...ROLLUPS.map((rollup) => rollup.table)].sort();

async function rows<T>(client: ClickHouseClient, query: string): Promise<T[]> {
  return (await client.query({ query, format: 'JSONEachRow' })).json<T>();
}

describe('ClickHouse migrations', () => {
  let options: ClickHouseStorageOptions;
  let client: ClickHouseClient;

  beforeEach(() => {
    options = testOptions();
    client = createClickHouseClient(options);
  });

  afterEach(async () => {
    await client.close();
    await dropDatabase(options);
  });

  const tablesOf = (database: string) =>
    rows<{ name: string; engine: string; sorting_key: string; partition_key: string }>(
      client,
      `SELECT name, engine, sorting_key, partition_key FROM system.tables WHERE database = '${database}' ORDER BY name`,
    );

  it('creates the database and the schema once, records each version, and does nothing the second time', async () => {
    const first = await migrateClickHouse(client, options.database);
    expect(first.applied).toEqual(CLICKHOUSE_MIGRATIONS.map(({ version, name }) => ({ version, name })));
    expect(await migrateClickHouse(client, options.database)).toEqual({ database: options.database, applied: [], retentionChanged: [] });
    const history = await rows<{ version: number; name: string }>(client, `SELECT version, name FROM \`${options.database}\`.${SCHEMA_MIGRATIONS} FINAL ORDER BY version`);
    expect(history).toEqual([
      { version: 1, name: 'user_behaviors' },
      { version: 2, name: 'rollups' },
      { version: 3, name: 'experiment assignments' },
    ]);
    expect(Object.fromEntries(await retentionOf(client, options.database))).toEqual(Object.fromEntries(TTL_TABLES.map((table) => [table, DEFAULT_RETENTION_DAYS])));
  });

  it('keys every table by tenant first: events in a ReplacingMergeTree, rollups in AggregatingMergeTrees fed by views, by month', async () => {
    await migrateClickHouse(client, options.database);
    const tables = await tablesOf(options.database);
    const byName = new Map(tables.map((table) => [table.name, table]));
    expect(byName.get(USER_BEHAVIORS)).toMatchObject({
      engine: 'ReplacingMergeTree',
      sorting_key: 'tenant_id, scenario_id, event_time, event_id',
      partition_key: 'toYYYYMM(event_time)',
    });
    for (const rollup of ROLLUPS) {
      expect(byName.get(rollup.table)).toMatchObject({ engine: 'AggregatingMergeTree', partition_key: `toYYYYMM(${rollup.bucket.column})` });
      expect(byName.get(rollup.table)?.sorting_key).toMatch(/^tenant_id, /);
      expect(byName.get(rollup.view)).toMatchObject({ engine: 'MaterializedView' });
    }
    expect(byName.get(EXPERIMENT_ASSIGNMENTS)).toMatchObject({ engine: 'AggregatingMergeTree', sorting_key: 'tenant_id, experiment_id, user_id' });
  });

  it('runs a migration again when it was interrupted before being recorded', async () => {
    await migrateClickHouse(client, options.database);
    await client.command({ query: `ALTER TABLE \`${options.database}\`.${SCHEMA_MIGRATIONS} DELETE WHERE version = 2`, clickhouse_settings: { mutations_sync: '2' } });
    const report = await migrateClickHouse(client, options.database);
    expect(report.applied).toEqual([{ version: 2, name: 'rollups' }]);
  });

  it('changes the retention of an existing schema when asked, and only then', async () => {
    await migrateClickHouse(client, options.database, { retentionDays: 30 });
    expect(new Set((await retentionOf(client, options.database)).values())).toEqual(new Set([30]));
    expect((await migrateClickHouse(client, options.database)).retentionChanged).toEqual([]);
    expect((await migrateClickHouse(client, options.database, { retentionDays: 30 })).retentionChanged).toEqual([]);
    expect((await migrateClickHouse(client, options.database, { retentionDays: 90 })).retentionChanged.sort()).toEqual(TTL_TABLES);
    expect(new Set((await retentionOf(client, options.database)).values())).toEqual(new Set([90]));
  });

  it('refuses bad database names and retentions before sending anything', async () => {
    await expect(migrateClickHouse(client, 'lemo; DROP DATABASE x')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(migrateClickHouse(client, options.database, { retentionDays: 0 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(migrateClickHouse(client, options.database, { retentionDays: 3651 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await tablesOf(options.database)).toEqual([]);
  });

  it('drops events and rollup rows older than the retention (TTL) when parts merge', async () => {
    const storage = await ClickHouseStorage.open({ ...options, retentionDays: 30 });
    try {
      const now = Date.now();
      await storage.analytics.insertBehaviors([
        anEvent('acme', { event_id: 'old', timestamp: now - 40 * DAY, user_id: 'u-old' }),
        anEvent('acme', { event_id: 'recent', timestamp: now - DAY, user_id: 'u-new' }),
      ]);
      for (const table of TTL_TABLES) await storage.connection.command(`OPTIMIZE TABLE ${storage.connection.table(table)} FINAL`);
      expect(await storage.analytics.count('acme')).toBe(1);
      const range = { from: now - 60 * DAY, to: now };
      expect(await storage.analytics.actionStats('acme', range)).toEqual([{ action_type: 'click', events: 1, users: 1 }]);
      const hourAligned = { from: Math.floor(range.from / 3_600_000) * 3_600_000, to: Math.ceil(range.to / 3_600_000) * 3_600_000 };
      expect(await storage.analytics.actionStats('acme', hourAligned)).toEqual([{ action_type: 'click', events: 1, users: 1 }]);
      for (const rollup of ROLLUPS.filter((r) => r.where === null)) {
        const [{ n }] = await storage.connection.rows<{ n: string }>(`SELECT count() AS n FROM ${storage.connection.table(rollup.table)}`);
        expect({ table: rollup.table, rows: Number(n) }).toEqual({ table: rollup.table, rows: 1 });
      }
    } finally {
      await storage.close();
    }
  });
});
