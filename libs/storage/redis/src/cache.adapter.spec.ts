import { cacheKey } from '@lemo/domain';
import { keysOf, useIsolatedStorage } from '../testing/redis-harness';

describe('RedisCache', () => {
  const isolated = useIsolatedStorage({ scanCount: 100 });
  const storage = () => isolated.storage();
  const redis = () => isolated.redis();

  it("stores entries under the tenant's cache segment, with the TTL in milliseconds", async () => {
    await storage().cache.set(cacheKey('acme', 'rec', 'u1'), { ids: ['a'] }, 1.5);
    expect(await keysOf(redis(), storage())).toEqual(['lemo:acme:cache:rec:u1']);
    expect(await redis().get(`${storage().keys.prefix}lemo:acme:cache:rec:u1`)).toBe('{"ids":["a"]}');
    // 1.5 s kept in milliseconds (PX): whole seconds would give at most 1000 ms or more than 1500 ms. The 500 ms of
    // headroom is for the round trips on a loaded machine (140 ms were seen in CI), not a speed requirement.
    const ttl = await redis().pttl(`${storage().keys.prefix}lemo:acme:cache:rec:u1`);
    expect(ttl).toBeGreaterThan(1000);
    expect(ttl).toBeLessThanOrEqual(1500);
  });

  it("clears a tenant's cache without touching its features", async () => {
    await storage().features.pushRecent('acme', 'u1', [{ item_id: 'i1', scenario_id: 'home', action_type: 'click', timestamp: 1 }], 10);
    await storage().features.addHotScores([{ tenantId: 'acme', scenarioId: 'home', itemId: 'i1', weight: 1, at: 1 }], 24);
    await storage().cache.set(cacheKey('acme', 'hot', 'home'), 'a cache entry named like a feature', 60);
    expect(await storage().cache.deleteByPrefix('lemo:acme:')).toBe(1);
    expect(await keysOf(redis(), storage())).toEqual(['lemo:acme:hot:home', 'lemo:acme:hotref:home', 'lemo:acme:recent:u1']);
  });

  it('deletes thousands of keys page by page, and takes prefixes shorter than a tenant', async () => {
    await Promise.all(Array.from({ length: 1500 }, (_, i) => storage().cache.set(cacheKey(i % 2 ? 't1' : 't10', 'rec', `u${i}`), i, 60)));
    await storage().cache.set(cacheKey('other', 'rec', 'u1'), 1, 60);
    await storage().features.pushRecent('t1', 'u1', [{ item_id: 'i1', scenario_id: 'home', action_type: 'click', timestamp: 1 }], 10);
    const unlinks = jest.spyOn(storage().redis, 'unlink');
    expect(await storage().cache.deleteByPrefix('lemo:t1')).toBe(1500);
    expect(unlinks.mock.calls.length).toBeGreaterThan(1);
    expect(await storage().cache.deleteByPrefix('lemo:')).toBe(1);
    expect(await keysOf(redis(), storage())).toEqual(['lemo:t1:recent:u1']);
  });

  it('refuses a key that names no tenant', async () => {
    await expect(storage().cache.set('recommendations', [], 60)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(storage().cache.get('lemo:')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
