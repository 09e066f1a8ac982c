import { anEvent, FIXTURE_EPOCH, useHarness } from '@lemo/domain/testing';
import { clickHouseHarness } from '../../testing/clickhouse-harness';
import { USER_BEHAVIORS } from '../schema/migrations';

describe('ClickHouseAnalyticsStore', () => {
  const storage = useHarness(clickHouseHarness((opened) => opened));

  it('keeps every field of an event in user_behaviors (for training exports), times as UTC DateTime64(3)', async () => {
    const event = anEvent('acme', {
      event_id: 'e1',
      timestamp: FIXTURE_EPOCH + 123,
      received_at: FIXTURE_EPOCH + 456,
      context: { device_type: 'mobile', os: 'iOS 18' },
      experiment_id: 'exp1',
      experiment_group: 'b',
      request_id: 'req-1',
      position: 3,
      value: 12.5,
      scenario_data: { ecommerce_data: { price: 19.9, currency: 'CNY' } },
      extra_data: { nested: { list: [1, 'two'] } },
    });
    await storage().analytics.insertBehaviors([event]);
    const [row] = await storage().connection.rows<Record<string, unknown>>(
      `SELECT * EXCEPT (event_time, received_at), toString(event_time) AS event_time, toUnixTimestamp64Milli(received_at) AS received_at
       FROM ${storage().connection.table(USER_BEHAVIORS)}`,
    );
    expect(row).toEqual({
      tenant_id: 'acme',
      scenario_id: 'home',
      event_time: '2025-01-01 00:00:00.123',
      event_id: 'e1',
      user_id: 'u1',
      item_id: 'i1',
      action_type: 'click',
      experiment_id: 'exp1',
      experiment_group: 'b',
      request_id: 'req-1',
      position: 3,
      value: 12.5,
      device_type: 'mobile',
      context: JSON.stringify(event.context),
      scenario_data: JSON.stringify(event.scenario_data),
      extra_data: JSON.stringify(event.extra_data),
      received_at: String(FIXTURE_EPOCH + 456),
    });
  });

  it('checks stored ids of a batch larger than one check (12,000 events, replayed with 2,000 new ones)', async () => {
    const events = Array.from({ length: 14_000 }, (_, i) => anEvent('acme', { event_id: `big-${i}`, user_id: `u${i % 100}`, timestamp: FIXTURE_EPOCH + i }));
    await storage().analytics.insertBehaviors(events.slice(0, 12_000));
    await storage().analytics.insertBehaviors(events);
    expect(await storage().analytics.count('acme')).toBe(14_000);
    expect(await storage().analytics.actionStats('acme', { from: FIXTURE_EPOCH, to: FIXTURE_EPOCH + 3_600_000 })).toEqual([
      { action_type: 'click', events: 14_000, users: 100 },
    ]);
  });
});
