import { ServingFeaturesJob, StreamJobsHost, StreamJobsUseCase } from '@lemo/application';
import { FeatureStore, topicFor, type BehaviorEvent, type BusMessage } from '@lemo/domain';
import { eventually } from '@lemo/domain/testing';
import { createTenant, type TenantFixture, type TestApp } from '@lemo/testing';
import { createApiTestApp } from './api-test-app';

jest.setTimeout(120_000);

const HOUR = 3_600_000;

/**
 * SERVING_FEATURES_WRITER=streams: the API only stores and publishes events;
 * the streams app's serving-features job (hosted here as the all-in-one hosts
 * it) writes the hot scores, with the scenario's action weights, decay and
 * sliding window, and the users' recent interactions, which the next
 * recommendation reads. Runs on both profiles (Kafka and Redis on the cluster one).
 */
describe('serving features written by the streams job', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let other: TenantFixture;
  const now = Date.now();
  const items = Array.from({ length: 12 }, (_, i) => ({ item_id: `i${i}`, metadata: { title: `Item ${i}`, category: i % 2 ? 'odd' : 'even' } }));
  const realtime = { action_weights: { click: 1, purchase: 10 }, decay_half_life_hours: 24, window_hours: 24 };

  const popular = async (fixture: TenantFixture) =>
    (await t.http.get('/api/v1/recommend/popular?scenario_id=feed&count=10').set(fixture.auth).expect(200)).body.items.map((i: { item_id: string }) => i.item_id) as string[];
  const track = (events: object[]) => t.http.post('/api/v1/behaviors/track/batch').set(acme.auth).send({ events }).expect(200);
  const setJob = async (action: 'pause' | 'resume') => {
    await t.app.get(StreamJobsUseCase)[action]('serving-features');
    await t.app.get(StreamJobsHost).reconcile();
  };

  beforeAll(async () => {
    t = await createApiTestApp({ SERVING_FEATURES_WRITER: 'streams' });
    acme = await createTenant(t, 'acme');
    other = await createTenant(t, 'other');
    for (const fixture of [acme, other]) {
      await t.http.post('/api/v1/scenarios').set(fixture.auth).send({ scenario_id: 'feed', name: 'Feed', scenario_type: 'ecommerce', config: { realtime } }).expect(201);
      await t.http.post('/api/v1/items/feed/batch').set(fixture.auth).send({ items }).expect(200);
    }
  });

  afterAll(() => t?.close());

  it('runs the job in this deployment, and the API leaves the features to it', async () => {
    const listed = await t.app.get(StreamJobsUseCase).list();
    expect(listed.map((job) => job.name)).toEqual(['analytics-sink', 'realtime-metrics', 'serving-features']);
    await setJob('pause');
    await track([{ event_id: 'p1', user_id: 'u1', item_id: 'i1', scenario_id: 'feed', action_type: 'purchase', timestamp: now }]);
    // Paused: nothing reads the topic, and the API itself wrote nothing.
    expect(await popular(acme)).toEqual([]);
    expect(await t.app.get(FeatureStore).recent('acme', 'u1', 10)).toEqual([]);
    await setJob('resume');
    await eventually(async () => expect(await popular(acme)).toEqual(['i1']), 60_000, 200);
    const recent = await t.app.get(FeatureStore).recent('acme', 'u1', 10);
    expect(recent.map((r) => [r.item_id, r.action_type])).toEqual([['i1', 'purchase']]);
  });

  it("ranks the hot list by the scenario's action weights, counting only events inside its window", async () => {
    await track([
      ...['u2', 'u3', 'u4'].map((user, n) => ({ event_id: `c${n}`, user_id: user, item_id: 'i2', scenario_id: 'feed', action_type: 'click', timestamp: now - HOUR })),
      // Heavier than everything else, but two days old: outside the 24 h window, it makes nothing hot.
      ...[0, 1, 2].map((n) => ({ event_id: `old${n}`, user_id: 'u5', item_id: 'i9', scenario_id: 'feed', action_type: 'purchase', timestamp: now - 48 * HOUR - n })),
    ]);
    await eventually(async () => expect(await popular(acme)).toEqual(['i1', 'i2']), 60_000, 200);
    // The old events are the user's interactions all the same.
    await eventually(async () => expect((await t.app.get(FeatureStore).recent('acme', 'u5', 10)).map((r) => r.item_id)).toEqual(['i9', 'i9', 'i9']), 60_000, 200);
    // Tenants apart: the other tenant's scenario of the same name has no hot items.
    expect(await popular(other)).toEqual([]);
  });

  it("invalidates the user's cached recommendations, so the next one leaves out what they just bought", async () => {
    const recommend = async () =>
      (await t.http.post('/api/v1/recommend').set(acme.auth).send({ scenario_id: 'feed', user_id: 'u6', count: 10 }).expect(200)).body.items.map((i: { item_id: string }) => i.item_id) as string[];
    const first = await recommend();
    const bought = first[0];
    expect(bought).toBeDefined();
    // Served from the cache now: unchanged until something invalidates it.
    expect(await recommend()).toEqual(first);
    await track([{ event_id: 'u6-buys', user_id: 'u6', item_id: bought, scenario_id: 'feed', action_type: 'purchase', timestamp: Date.now() }]);
    await eventually(async () => expect(await recommend()).not.toContain(bought), 60_000, 200);
  });

  it('stores a redelivered batch of recent interactions once', async () => {
    const job = t.app.get(ServingFeaturesJob);
    const topic = topicFor(t.config.topics.behaviors, 'acme');
    const event = { tenant_id: 'acme', event_id: 'redelivered', user_id: 'u7', item_id: 'i3', scenario_id: 'feed', action_type: 'like', timestamp: now, received_at: now } as BehaviorEvent;
    const batch: BusMessage<BehaviorEvent>[] = [{ topic, key: 'u7', headers: {}, value: event }];
    await job.handle(batch);
    await job.handle(batch);
    expect((await t.app.get(FeatureStore).recent('acme', 'u7', 10)).map((r) => r.item_id)).toEqual(['i3']);
  });
});
