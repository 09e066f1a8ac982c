import { anEvent, FIXTURE_EPOCH, generatedBehaviors, useHarness } from '@lemo/domain/testing';
import { clickHouseHarness, testOptions } from '../../testing/clickhouse-harness';
import { ClickHouseStorage } from '../clickhouse-storage';
import { USER_BEHAVIORS } from './migrations';
import { DAILY_ITEM_STATS, HOURLY_ACTION_METRICS, rollupExpression, ROLLUPS, type Rollup } from './rollups';

const DAY = 86_400_000;

/**
 * A rollup table's content, and the same aggregation computed from the
 * deduplicated events: the two must be equal at every moment (merged or not).
 */
async function rollupAndEvents(storage: ClickHouseStorage, rollup: Rollup) {
  const names = rollup.dimensions.map((d) => d.name).join(', ');
  const where = rollup.where ? `WHERE ${rollup.where}` : '';
  const expressions = rollup.dimensions.map((d) => `${rollupExpression(rollup, d.name)} AS ${d.name}`).join(', ');
  const [fromRollup, fromEvents] = await Promise.all([
    storage.connection.rows(
      `SELECT ${names}, sum(events) AS events, uniqExactMerge(users) AS users FROM ${storage.connection.table(rollup.table)} GROUP BY ${names} ORDER BY ${names}`,
    ),
    storage.connection.rows(
      `SELECT ${expressions}, count() AS events, uniqExact(user_id) AS users FROM ${storage.connection.table(USER_BEHAVIORS)} FINAL ${where} GROUP BY ${names} ORDER BY ${names}`,
    ),
  ]);
  return { fromRollup, fromEvents };
}

async function expectRollupsToMatchEvents(storage: ClickHouseStorage, rollups: readonly Rollup[] = ROLLUPS): Promise<void> {
  for (const rollup of rollups) {
    const { fromRollup, fromEvents } = await rollupAndEvents(storage, rollup);
    expect(fromEvents.length).toBeGreaterThan(0);
    expect({ table: rollup.table, rows: fromRollup }).toEqual({ table: rollup.table, rows: fromEvents });
  }
}

describe('ClickHouse rollups (materialised views)', () => {
  const opened = useHarness(clickHouseHarness((storage) => storage));

  it('equal the aggregation of the events after replayed, overlapping and concurrent batches', async () => {
    const storage = opened();
    const events = [
      ...generatedBehaviors('acme', { count: 1500, start: FIXTURE_EPOCH, spanMs: 3 * DAY, seed: 3 }),
      ...generatedBehaviors('globex', { count: 300, start: FIXTURE_EPOCH, spanMs: DAY, seed: 4 }),
    ];
    await storage.analytics.insertBehaviors(events.slice(0, 1000));
    await storage.analytics.insertBehaviors(events.slice(0, 1000));
    await storage.analytics.insertBehaviors(events.slice(800, 1300));
    // A second process (its own client, no shared in-process lock) replaying the same batch at the same time.
    const other = await ClickHouseStorage.open(testOptions({ database: storage.database }));
    try {
      await Promise.all([storage.analytics.insertBehaviors(events.slice(1300)), other.analytics.insertBehaviors(events.slice(1300))]);
    } finally {
      await other.close();
    }
    expect(await storage.analytics.count('acme')).toBe(1500);
    expect(await storage.analytics.count('globex')).toBe(300);
    await expectRollupsToMatchEvents(storage);
  });

  it('equal the aggregation of the remaining events after a GDPR delete, even when the delete is retried', async () => {
    const storage = opened();
    const events = generatedBehaviors('acme', { count: 600, start: FIXTURE_EPOCH, spanMs: 2 * DAY, seed: 9 });
    await storage.analytics.insertBehaviors(events);
    await storage.analytics.deleteUser('acme', 'u3');
    await storage.analytics.deleteUser('acme', 'u3');
    await storage.analytics.deleteUser('acme', 'u4');
    await expectRollupsToMatchEvents(storage);
    const [{ n }] = await storage.connection.rows<{ n: string }>(
      `SELECT count() AS n FROM ${storage.connection.table(USER_BEHAVIORS)} WHERE user_id IN ('u3', 'u4')`,
    );
    expect(Number(n)).toBe(0);
    const scratch = await storage.connection.rows(`SELECT name FROM system.tables WHERE database = '${storage.database}' AND name LIKE 'gdpr_scratch_%'`);
    expect(scratch).toEqual([]);
  });

  it('keep an hourly bucket exact across separate inserts of one user (no block is mistaken for a repeat)', async () => {
    const storage = opened();
    // Each insert yields the same view block (hour, click, 1 event, {u1}): only the events differ.
    for (let i = 0; i < 5; i++) await storage.analytics.insertBehaviors([anEvent('acme', { event_id: `same-shape-${i}`, timestamp: FIXTURE_EPOCH + i })]);
    expect(await storage.analytics.actionStats('acme', { from: FIXTURE_EPOCH, to: FIXTURE_EPOCH + DAY })).toEqual([{ action_type: 'click', events: 5, users: 1 }]);
    await expectRollupsToMatchEvents(storage, [HOURLY_ACTION_METRICS, DAILY_ITEM_STATS]);
  });
});
