import { requireBackend, startTcpProxy, type TcpProxy } from '@lemo/platform-testing';
import { createTenant, eventually, type TenantFixture, type TestApp } from '@lemo/testing';
import { createApiTestApp } from './api-test-app';

jest.setTimeout(180_000);

interface Served {
  items: Array<{ item_id: string; strategy: string }>;
  debug?: { recall: { failures: Record<string, string> | string[] } };
}

/** Two topics with disjoint vocabularies, so content vectors have neighbours to find. */
const TOPICS = ['sailing boat harbour wind regatta', 'baking bread oven flour yeast'];

/**
 * Issue 3, faults against the real servers: the app's Milvus sits behind a
 * proxy this suite cuts and restores (a network outage for this app only;
 * the shared Milvus keeps serving every other suite).
 */
describe('a real Milvus outage (cluster profile, Milvus behind a proxy)', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let acme: TenantFixture;
  const recommend = (): Promise<{ body: Served }> =>
    t.http.post('/api/v1/recommend').set(acme.auth).send({ scenario_id: 'shop', user_id: 'u1', count: 5, debug: true }).expect(200);
  const fromVectors = (served: Served) => served.items.filter((item) => item.strategy === 'recent_similar').map((item) => item.item_id);

  beforeAll(async () => {
    proxy = await startTcpProxy(requireBackend('milvus').address);
    t = await createApiTestApp({ MILVUS_HOST: '127.0.0.1', MILVUS_PORT: String(proxy.port) });
    acme = await createTenant(t, 'acme');
    // Vector recall first, newest items only to fill: served items name the strategy that proposed them best.
    const recall = {
      strategies: [
        { name: 'recent_similar', weight: 1, limit: 50, timeout_ms: 2_000, params: {} },
        { name: 'latest', weight: 0.1, limit: 50, timeout_ms: 2_000, params: {} },
      ],
      total_limit: 100,
    };
    await t.http.post('/api/v1/scenarios').set(acme.auth).send({ scenario_id: 'shop', name: 'Shop', scenario_type: 'news', config: { recall } }).expect(201);
    const items = Array.from({ length: 20 }, (_, i) => ({
      item_id: `i${i}`,
      metadata: { title: `${TOPICS[i % 2]} story ${i}`, category: i % 2 ? 'food' : 'sea', publish_time: Date.now() - i * 60_000 },
    }));
    await t.http.post('/api/v1/items/shop/batch').set(acme.auth).send({ items }).expect(200);
    await t.http.post('/api/v1/behaviors/track').set(acme.auth).send({ scenario_id: 'shop', user_id: 'u1', item_id: 'i0', action_type: 'like' }).expect(200);
    // The item-vectors job (run by the app's worker on Bull) fills Milvus; vector recall then answers.
    await eventually(async () => fromVectors((await recommend()).body).length > 0, 60_000, 500);
  });

  afterAll(async () => {
    proxy?.restore();
    await t?.close();
    await proxy?.close();
  });

  it('serves without vector recall while cut, reports it, and recovers by itself after the restore', async () => {
    const before = (await recommend()).body;
    expect(fromVectors(before).length).toBeGreaterThan(0);

    proxy.cut();
    const cutAt = Date.now();
    const degraded = (await recommend()).body;
    const degradedMs = Date.now() - cutAt;
    // (a) Every other strategy still answers: a full page, none of it from vectors, the failure named in debug.
    expect(degraded.items).toHaveLength(5);
    expect(fromVectors(degraded)).toEqual([]);
    expect(JSON.stringify(degraded.debug?.recall.failures)).toContain('recent_similar');
    expect(degraded.items.map((item) => item.item_id)).not.toContain('i0');
    const health = await t.http.get('/health').expect(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.checks).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'milvus', ok: false })]));

    proxy.restore();
    const restoredAt = Date.now();
    // (b) The Milvus client's channel reconnects on its own: readiness is ok and vector recall is back.
    await eventually(async () => (await t.http.get('/health')).body.status === 'ok', 60_000, 250);
    const healthyMs = Date.now() - restoredAt;
    await eventually(async () => fromVectors((await recommend()).body).length > 0, 30_000, 250);
    process.stdout.write(`\n[milvus-outage] degraded recommend answered ${degradedMs} ms after the cut; readiness ok ${healthyMs} ms and vector recall back ${Date.now() - restoredAt} ms after the restore\n`);
  });
});
