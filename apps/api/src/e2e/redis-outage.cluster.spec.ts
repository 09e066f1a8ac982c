import { ServingUpdates } from '@lemo/application';
import { requireBackend, startTcpProxy, type TcpProxy } from '@lemo/platform-testing';
import { createTenant, eventually, type TenantFixture, type TestApp } from '@lemo/testing';
import { createApiTestApp } from './api-test-app';

jest.setTimeout(120_000);

const ids = (body: { items: Array<{ item_id: string }> }) => body.items.map((i) => i.item_id);

/**
 * Issue 3, faults against the real servers: the app's Redis (cache, feature
 * store and Bull) sits behind a proxy that this suite cuts and restores, so
 * the outage is a real broken network for this app only; the shared Redis
 * keeps serving every other suite.
 */
describe('a real Redis outage (cluster profile, Redis behind a proxy)', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let acme: TenantFixture;
  const recommend = (userId: string, count = 5) => t.http.post('/api/v1/recommend').set(acme.auth).send({ scenario_id: 'shop', user_id: userId, count });
  const track = (event: Record<string, unknown>) => t.http.post('/api/v1/behaviors/track').set(acme.auth).send({ scenario_id: 'shop', ...event });

  beforeAll(async () => {
    const redis = requireBackend('redis');
    proxy = await startTcpProxy(new URL(redis.url).host);
    t = await createApiTestApp({ REDIS_URL: proxy.url(redis.url) });
    acme = await createTenant(t, 'acme');
    await t.http.post('/api/v1/scenarios').set(acme.auth).send({ scenario_id: 'shop', name: 'Shop', scenario_type: 'news' }).expect(201);
    const items = Array.from({ length: 30 }, (_, i) => ({ item_id: `i${i}`, metadata: { title: `story ${i}`, category: i % 2 ? 'a' : 'b', publish_time: Date.now() - i * 60_000 } }));
    await t.http.post('/api/v1/items/shop/batch').set(acme.auth).send({ items }).expect(200);
    await track({ user_id: 'u1', item_id: 'i0', action_type: 'like' }).expect(200);
  });

  afterAll(async () => {
    proxy?.restore();
    await t?.close();
    await proxy?.close();
  });

  it('degrades while cut, accepts events, and after restore recovers by itself with every accepted event applied', async () => {
    const before = await recommend('u1').expect(200);
    expect(before.body.next_cursor).not.toBeNull();
    expect(ids(before.body)).not.toContain('i0');

    proxy.cut();
    const cutAt = Date.now();

    // (a) Serving degrades: no cache, no page store, no real-time features; the event store still excludes what u1 saw.
    const degraded = await recommend('u1').expect(200);
    const degradedMs = Date.now() - cutAt;
    expect(degraded.body.items).toHaveLength(5);
    expect(ids(degraded.body)).not.toContain('i0');
    expect(degraded.body.next_cursor).toBeNull();
    const down = await t.http.get('/health').expect(200);
    expect(down.body.status).toBe('degraded');
    expect(down.body.checks).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'redis', ok: false })]));

    // (c) Events are accepted while Redis is cut: the event store has them; their serving writes wait.
    const cutEvents = [
      { event_id: 'cut-1', user_id: 'u2', item_id: 'i7', action_type: 'purchase' },
      { event_id: 'cut-2', user_id: 'u1', item_id: 'i3', action_type: 'click' },
    ];
    for (const event of cutEvents) {
      const accepted = await track(event).expect(200);
      expect(accepted.body).toMatchObject({ event_id: event.event_id, status: 'accepted' });
    }
    const trackedMs = Date.now() - cutAt - degradedMs;
    expect(t.app.get(ServingUpdates).backlog).toBeGreaterThan(0);
    // What u1 did during the outage is already excluded (the event store is read for "seen").
    expect(ids((await recommend('u1').expect(200)).body)).not.toContain('i3');

    proxy.restore();
    const restoredAt = Date.now();

    // (b) ioredis reconnects by itself: readiness is ok again and the held writes drain.
    await eventually(async () => (await t.http.get('/health')).body.status === 'ok', 30_000, 200);
    const healthyMs = Date.now() - restoredAt;
    await eventually(async () => t.app.get(ServingUpdates).backlog === 0, 30_000, 100);
    process.stdout.write(
      `\n[redis-outage] first degraded recommend ${degradedMs} ms after the cut; 2 events tracked in ${trackedMs} ms; ` +
        `readiness ok ${healthyMs} ms and held writes applied ${Date.now() - restoredAt} ms after the restore\n`,
    );

    // (c) No accepted event lost: the cut-time events reached the feature store and the hot scores.
    const u2 = await t.http.get('/api/v1/users/u2/features').set(acme.auth).expect(200);
    expect(u2.body.recent_items).toEqual([expect.objectContaining({ item_id: 'i7', action_type: 'purchase' })]);
    const u1 = await t.http.get('/api/v1/users/u1/features').set(acme.auth).expect(200);
    expect(u1.body.recent_items.map((r: { item_id: string }) => r.item_id)).toEqual(['i3', 'i0']);
    const popular = await t.http.get('/api/v1/recommend/popular').query({ scenario_id: 'shop', count: 10 }).set(acme.auth).expect(200);
    expect(ids(popular.body)).toEqual(expect.arrayContaining(['i7', 'i0', 'i3']));
    // The purchase outweighs the like and the click: it was counted, once.
    expect(ids(popular.body)[0]).toBe('i7');

    // Serving is whole again: cursor paging works, u1's events of both periods are excluded.
    const recovered = await recommend('u1').expect(200);
    expect(recovered.body.next_cursor).not.toBeNull();
    expect(ids(recovered.body)).not.toEqual(expect.arrayContaining(['i0']));
    expect(ids(recovered.body)).not.toContain('i3');
    // A client retrying an event accepted during the outage gets "duplicate", and nothing is applied twice.
    expect((await track(cutEvents[0]).expect(200)).body.status).toBe('duplicate');
  });
});
