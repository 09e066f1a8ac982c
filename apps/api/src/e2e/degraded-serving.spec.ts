import { Cache, DomainError, FeatureStore } from '@lemo/domain';
import { EmbeddedStorage } from '@lemo/storage-embedded';
import { createTenant, type TenantFixture, type TestApp } from '@lemo/testing';
import { createApiTestApp } from './api-test-app';

jest.setTimeout(60_000);

/** Wraps an adapter so that, while `outage.down`, every call fails as a real outage does. */
function breakable<T extends object>(real: T, outage: { down: boolean }): T {
  return new Proxy(real, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (outage.down ? Promise.reject(new DomainError('UNAVAILABLE', 'backend unreachable')) : value.apply(target, args));
    },
  });
}

describe('serving while the cache and feature store are down', () => {
  const outage = { down: false };
  let t: TestApp;
  let acme: TenantFixture;

  beforeAll(async () => {
    t = await createApiTestApp({}, [
      { provide: Cache, inject: [EmbeddedStorage], useFactory: (storage: EmbeddedStorage) => breakable(storage.cache, outage) },
      { provide: FeatureStore, inject: [EmbeddedStorage], useFactory: (storage: EmbeddedStorage) => breakable(storage.features, outage) },
    ]);
    acme = await createTenant(t, 'acme');
    await t.http.post('/api/v1/scenarios').set(acme.auth).send({ scenario_id: 'shop', name: 'Shop', scenario_type: 'news' }).expect(201);
    const items = Array.from({ length: 30 }, (_, i) => ({ item_id: `i${i}`, metadata: { title: `story ${i}`, category: i % 2 ? 'a' : 'b', publish_time: Date.now() - i * 60_000 } }));
    await t.http.post('/api/v1/items/shop/batch').set(acme.auth).send({ items }).expect(200);
    await t.http.post('/api/v1/behaviors/track').set(acme.auth).send({ scenario_id: 'shop', user_id: 'u1', item_id: 'i0', action_type: 'like' }).expect(200);
  });

  afterAll(() => t.close());

  it('degrades to non-personalised results, reports it, and recovers by itself', async () => {
    outage.down = true;
    const degraded = await t.http.post('/api/v1/recommend').set(acme.auth).send({ scenario_id: 'shop', user_id: 'u1', count: 5 }).expect(200);
    expect(degraded.body.items).toHaveLength(5);
    // The event store still knows what u1 saw, so it stays excluded.
    expect(degraded.body.items.map((i: { item_id: string }) => i.item_id)).not.toContain('i0');
    expect(degraded.body.next_cursor).toBeNull();
    const health = await t.http.get('/health').expect(200);
    expect(health.body.status).toBe('ok');

    outage.down = false;
    const recovered = await t.http.post('/api/v1/recommend').set(acme.auth).send({ scenario_id: 'shop', user_id: 'u1', count: 5 }).expect(200);
    expect(recovered.body.next_cursor).not.toBeNull();
  });
});
