import { FeatureStore, JobQueue, type ScoredId } from '@lemo/domain';
import { createTenant, eventually, type TenantFixture, type TestApp } from '@lemo/testing';
import { createApiTestApp } from './api-test-app';

jest.setTimeout(60_000);

const ITEMS = Array.from({ length: 30 }, (_, i) => `i${i}`);

/** Deterministic events: user u likes items near u's own (so items share users), a few across. */
function events(from: number, count: number, users: number) {
  return Array.from({ length: count }, (_, k) => {
    const n = from + k;
    const user = (n * 7) % users;
    const item = (user + ((n * 13) % 5) + (n % 11 === 0 ? 15 : 0)) % ITEMS.length;
    return {
      scenario_id: 'feed',
      user_id: `u${user}`,
      item_id: ITEMS[item],
      action_type: n % 3 === 0 ? 'like' : 'click',
      timestamp: 1_767_225_600_000 + n * 1000,
    };
  });
}

/** The item_similarity job on the real queue, handler and embedded stores, as the debounced run after events (mode incremental) or beat's. */
describe('item similarity job: incremental after new events (embedded profile)', () => {
  let t: TestApp;
  let acme: TenantFixture;

  beforeAll(async () => {
    t = await createApiTestApp();
    acme = await createTenant(t, 'acme');
    await t.http.post('/api/v1/scenarios').set(acme.auth).send({ scenario_id: 'feed', name: 'Feed', scenario_type: 'ecommerce' }).expect(201);
    const items = ITEMS.map((item_id) => ({ item_id, metadata: { title: `Item ${item_id}`, category: 'c' } }));
    await t.http.post('/api/v1/items/feed/batch').set(acme.auth).send({ items }).expect(200);
  });

  afterAll(() => t.close());

  const track = async (batch: object[]) => {
    const res = await t.http.post('/api/v1/behaviors/track/batch').set(acme.auth).send({ events: batch }).expect(200);
    expect(res.body.rejected).toBe(0);
  };

  let run = 0;
  const similarityJob = async (data: object): Promise<Record<string, unknown>> => {
    const queue = t.app.get(JobQueue);
    const job = await queue.enqueue('default', 'item_similarity', { tenant_id: 'acme', scenario_id: 'feed', ...data }, { jobId: `e2e-similarity-${++run}` });
    await eventually(async () => (await queue.get('default', job.job_id))?.status === 'completed', 30_000);
    return (await queue.get('default', job.job_id))!.result as Record<string, unknown>;
  };

  const lists = async (): Promise<Map<string, ScoredId[]>> => t.app.get(FeatureStore).neighbours('acme', 'feed', ITEMS);

  it('updates from the new events only, to exactly the lists a full build gives', async () => {
    await track(events(0, 400, 40));
    expect(await similarityJob({ mode: 'incremental' })).toMatchObject({ mode: 'full', reason: 'no watermark', interactions: 400 });
    const before = await lists();

    await track(events(400, 60, 50));
    expect(await similarityJob({ mode: 'incremental' })).toMatchObject({ mode: 'incremental', interactions: 460 });
    const updated = await lists();
    expect(updated).not.toEqual(before);

    // Beat's hourly run (no mode) rebuilds in full from every event: the same lists.
    expect(await similarityJob({})).toMatchObject({ mode: 'full', reason: 'requested', interactions: 460 });
    expect(await lists()).toEqual(updated);
  });
});
