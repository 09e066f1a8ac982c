import { join } from 'node:path';
import { AppCluster, eventually, type AppProcess } from '@lemo/testing';
import {
  createTenantAndScenario,
  eventFreshnessMs,
  freshItem,
  itemFreshnessMs,
  recommend,
  RestClient,
  SCENARIO,
  stepLogger,
  tasteShare,
  trackEvents,
  trainAndWait,
  typicalUsers,
  walkData,
} from './platform-walk';

/**
 * The same walk as the cluster suite on the embedded profile: one all-in-one
 * process from the dist build (SQLite, HNSW, in-process bus, queue and
 * scheduler in a data folder of this run) does what the seven apps do there.
 * Items come in over REST (the in-process bus has no outside producer), the
 * analytics copy and vectors are read back through the API.
 */
describe('end to end (embedded profile): the all-in-one process', () => {
  const cluster = new AppCluster({ name: 'e2e_embedded', env: { PROFILE: 'embedded' } });
  const step = stepLogger('e2e embedded');
  const data = walkData();
  let app: AppProcess;
  let api: RestClient;

  beforeAll(async () => {
    const schedules = { item_similarity: '*/2 * * * * *', recall_training: 'off', item_vectors: 'off', user_profiles: 'off', precompute: 'off', cache_cleanup: 'off' };
    app = await cluster.start('all-in-one', { env: { DATA_DIR: join(cluster.logDir, 'data'), BEAT_SCHEDULES: JSON.stringify(schedules) } });
    step('all-in-one ready');
    api = new RestClient(app.url);
    await createTenantAndScenario(api);
  });

  afterAll(() => cluster.stopAll());

  it('answers /health (every backend up) and /metrics', async () => {
    const health = await fetch(`${app.url}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    expect(await (await fetch(`${app.url}/metrics`)).text()).toContain('process_cpu_seconds_total');
  });

  it('stores items and builds their vectors (similar items answer from them)', async () => {
    const batch = await api.ok<{ succeeded: number }>('POST', `/api/v1/items/${SCENARIO}/batch`, { items: data.items });
    expect(batch.succeeded).toBe(data.items.length);
    const listed = await api.ok<{ page_info: { total: number } }>('GET', `/api/v1/items/${SCENARIO}?page_size=1`);
    expect(listed.page_info.total).toBe(data.items.length);
    const probe = data.items[0].item_id;
    await eventually(async () => (await api.ok<{ items: unknown[] }>('GET', `/api/v1/items/${SCENARIO}/${probe}/similar?count=5`)).items.length === 5, 120_000, 250);
    step('items stored, vectors built');
  });

  it('counts every tracked event exactly once in the analytics store, and ranks popular items by them', async () => {
    await trackEvents(api, data);
    // The analytics copy is fed from the in-process bus: every event once, counted over all time.
    const exportedLines = async () => {
      const exported = await fetch(`${app.url}/api/v1/analytics/export?scenario_id=${SCENARIO}&format=jsonl&from=0`, { headers: api.auth });
      return (await exported.text()).split('\n').filter((line) => line.length > 0).length;
    };
    await eventually(async () => (await exportedLines()) >= data.events.length, 60_000, 250);
    expect(await exportedLines()).toBe(data.events.length);
    const popular = await api.ok<{ items: Array<{ item_id: string }> }>('GET', `/api/v1/recommend/popular?scenario_id=${SCENARIO}&count=10`);
    const eventItems = new Set(data.events.map((event) => event.item_id));
    expect(popular.items).toHaveLength(10);
    expect(popular.items.every((item) => eventItems.has(item.item_id))).toBe(true);
    step(`${data.events.length} events tracked and counted`);
  });

  it('trains a ranker in-process and recommends with it, personalised', async () => {
    await trainAndWait(api, 'lr');
    step('lr trained');
    const users = typicalUsers(data);
    await eventually(async () => (await recommend(api, users[0])).debug?.ranked_by?.ranker === 'lr', 60_000, 500);
    expect((await recommend(api, users[0])).debug?.ranked_by).toMatchObject({ ranker: 'lr', served_by: 'in_process' });
    const share = await tasteShare(api, data, users);
    step(`personalised share ${share.toFixed(2)} over ${users.length} users`);
    // 12 planted tastes: a list blind to the user would hit their category ~8 % of the time.
    expect(share).toBeGreaterThan(0.3);
  });

  it('measures freshness: an event in the next recommendation, a new item in the latest list', async () => {
    const eventMs = await eventFreshnessMs(api, typicalUsers(data)[1]);
    const itemMs = await itemFreshnessMs(api, 'fresh_1', () => api.ok('POST', `/api/v1/items/${SCENARIO}`, freshItem('fresh_1')));
    step(`freshness: event accepted → next recommendation ${eventMs} ms; item created → latest list ${itemMs} ms`);
  });

  it('stops on SIGTERM without needing a SIGKILL, and keeps its data for the next start', async () => {
    // Nest re-raises the signal once its shutdown hooks have run; the harness's SIGKILL would show as 'SIGKILL'.
    expect(await app.stop()).toEqual({ code: null, signal: 'SIGTERM' });
    const again = await cluster.start('all-in-one', { env: { DATA_DIR: join(cluster.logDir, 'data') } });
    const restarted = new RestClient(again.url);
    restarted.auth = api.auth;
    const listed = await restarted.ok<{ page_info: { total: number } }>('GET', `/api/v1/items/${SCENARIO}?page_size=1`);
    expect(listed.page_info.total).toBe(data.items.length + 1);
  });
});
