import { RealtimeMetricsJob } from '@lemo/application';
import { topicFor, type BehaviorEvent, type BusMessage } from '@lemo/domain';
import { createTenant, eventually, type TenantFixture, type TestApp } from '@lemo/testing';
import { createApiTestApp } from './api-test-app';

/**
 * GET /api/v1/analytics/realtime over the streams app's real-time metrics job
 * (hosted here as the all-in-one hosts it): the figures equal the counts of the
 * events sent, per experiment group and per minute, and a redelivered batch
 * changes nothing.
 */
jest.setTimeout(60_000);

describe('real-time metrics (embedded profile)', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let other: TenantFixture;
  const now = Date.now();
  type Sent = { event_id: string; user_id: string; item_id: string; action_type: string; scenario_id: string; experiment_id?: string; experiment_group?: string; timestamp: number };
  const sent: Sent[] = [];

  beforeAll(async () => {
    t = await createApiTestApp();
    acme = await createTenant(t, 'acme');
    other = await createTenant(t, 'other');
    for (const scenario of ['feed', 'news']) {
      await t.http.post('/api/v1/scenarios').set(acme.auth).send({ scenario_id: scenario, name: scenario, scenario_type: 'ecommerce' }).expect(201);
    }
    await t.http.post('/api/v1/scenarios').set(other.auth).send({ scenario_id: 'feed', name: 'feed', scenario_type: 'ecommerce' }).expect(201);
    // Three minutes of traffic in two experiment groups, plus another scenario that must not count.
    for (let i = 0; i < 120; i++) {
      const group = i % 2 === 0 ? 'control' : 'treatment';
      const base = { user_id: `u${i % 10}`, item_id: `i${i % 7}`, scenario_id: 'feed', experiment_id: 'exp1', experiment_group: group, timestamp: now - (i % 3) * 60_000 };
      sent.push({ ...base, event_id: `imp${i}`, action_type: 'impression' });
      if (i % 3 === 0) sent.push({ ...base, event_id: `clk${i}`, action_type: 'click' });
      if (i % 12 === 0) sent.push({ ...base, event_id: `buy${i}`, action_type: 'purchase' });
    }
    for (let i = 0; i < 20; i++) sent.push({ event_id: `n${i}`, user_id: 'u1', item_id: 'x', action_type: 'impression', scenario_id: 'news', timestamp: now });
    await t.http.post('/api/v1/behaviors/track/batch').set(acme.auth).send({ events: sent }).expect(200);
  }, 120_000);

  afterAll(() => t?.close());

  const count = (filter: (e: Sent) => boolean) => sent.filter(filter).length;
  const feed = (e: Sent) => e.scenario_id === 'feed';

  it('reports the measured impressions, clicks, conversions and CTR of the last minutes, per group and per minute', async () => {
    const read = () => t.http.get('/api/v1/analytics/realtime?scenario_id=feed&minutes=5').set(acme.auth).expect(200);
    await eventually(async () => (await read()).body.totals.events === count(feed));
    const { body } = await read();
    const impressions = count((e) => feed(e) && e.action_type === 'impression');
    const clicks = count((e) => feed(e) && e.action_type === 'click');
    expect(body.totals).toEqual({ impressions, clicks, conversions: count((e) => feed(e) && e.action_type === 'purchase'), events: count(feed), ctr: clicks / impressions });
    expect(body.experiment_groups.map((g: { experiment_group: string; clicks: number }) => [g.experiment_group, g.clicks])).toEqual([
      ['control', count((e) => e.experiment_group === 'control' && e.action_type === 'click')],
      ['treatment', count((e) => e.experiment_group === 'treatment' && e.action_type === 'click')],
    ]);
    expect(body.series).toHaveLength(5);
    expect(body.range.to - body.range.from).toBe(5 * 60_000);
    for (const minute of body.series) {
      const inMinute = (e: Sent) => feed(e) && e.timestamp >= minute.minute_start && e.timestamp < minute.minute_start + 60_000;
      expect(minute.events).toBe(count(inMinute));
    }
    // Without a scenario: every scenario of the tenant.
    const all = await t.http.get('/api/v1/analytics/realtime?minutes=5').set(acme.auth).expect(200);
    expect(all.body.totals.events).toBe(sent.length);
  });

  it('counts a redelivered batch once', async () => {
    const job = t.app.get(RealtimeMetricsJob);
    const topic = topicFor(t.config.topics.behaviors, 'acme');
    const stored = sent.slice(0, 10).map((e): BusMessage<BehaviorEvent> => ({ topic, key: e.user_id, headers: {}, value: { ...e, tenant_id: 'acme', received_at: now } as BehaviorEvent }));
    await job.handle(stored);
    await job.handle(stored);
    const { body } = await t.http.get('/api/v1/analytics/realtime?scenario_id=feed&minutes=5').set(acme.auth).expect(200);
    expect(body.totals.events).toBe(count(feed));
  });

  it('keeps tenants apart, 404s an unknown scenario and validates minutes', async () => {
    const { body } = await t.http.get('/api/v1/analytics/realtime?minutes=5').set(other.auth).expect(200);
    expect(body.totals).toEqual({ impressions: 0, clicks: 0, conversions: 0, events: 0, ctr: null });
    await t.http.get('/api/v1/analytics/realtime?scenario_id=nope').set(acme.auth).expect(404);
    const bad = await t.http.get('/api/v1/analytics/realtime?minutes=0').set(acme.auth).expect(400);
    expect(JSON.stringify(bad.body)).toContain('minutes');
    await t.http.get('/api/v1/analytics/realtime?minutes=121').set(acme.auth).expect(400);
  });
});
