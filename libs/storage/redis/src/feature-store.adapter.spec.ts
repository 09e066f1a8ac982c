import type { HotScoreIncrement, RecentInteraction } from '@lemo/domain';
import { keysOf, useIsolatedStorage } from '../testing/redis-harness';
import { HOUR_MS } from './hot-scores.script';

const NOW = Date.UTC(2026, 0, 1);

const hit = (itemId: string, weight: number, at = NOW, scenarioId = 'home'): HotScoreIncrement => ({ tenantId: 'acme', scenarioId, itemId, weight, at });
const click = (itemId: string, minute: number): RecentInteraction => ({
  item_id: itemId,
  scenario_id: 'home',
  action_type: 'click',
  timestamp: NOW + minute * 60_000,
});

describe('RedisFeatureStore', () => {
  const isolated = useIsolatedStorage({ hotMaxItems: 5 });
  const storage = () => isolated.storage();
  const redis = () => isolated.redis();
  const key = (rest: string) => `${storage().keys.prefix}lemo:acme:${rest}`;

  it('keeps every key under lemo:{tenant_id}: with a kind segment, escaping ids', async () => {
    await storage().features.addHotScores([hit('i1', 1, NOW, 'feed:main')], 24);
    await storage().features.pushRecent('acme', 'user:1', [click('i1', 0)], 10);
    await storage().features.setNeighbours('acme', 'a:b', 'c', [{ item_id: 'x', score: 1 }]);
    await storage().features.setNeighbours('acme', 'a', 'b:c', [{ item_id: 'y', score: 1 }]);
    expect(await keysOf(redis(), storage())).toEqual([
      'lemo:acme:hot:feed%3Amain',
      'lemo:acme:hotref:feed%3Amain',
      'lemo:acme:nbr:a%3Ab:c',
      'lemo:acme:nbr:a:b%3Ac',
      'lemo:acme:recent:user%3A1',
    ]);
    expect((await storage().features.neighbours('acme', 'a:b', ['c'])).get('c')).toEqual([{ item_id: 'x', score: 1 }]);
    expect((await storage().features.neighbours('acme', 'a', ['b:c'])).get('b:c')).toEqual([{ item_id: 'y', score: 1 }]);
  });

  it('sends a batch of 1,000 increments over two scenarios as one script call per scenario', async () => {
    const increments = Array.from({ length: 1000 }, (_, i) => hit(`i${i % 300}`, 1, NOW - (i % 7) * HOUR_MS, i % 2 ? 'home' : 'news'));
    await storage().features.addHotScores([hit('warm-up', 1)], 24); // loads the script once
    const sent = jest.spyOn(storage().redis, 'sendCommand');
    await storage().features.addHotScores(increments, 24);
    expect(sent.mock.calls.map(([command]) => command.name)).toEqual(['evalsha', 'evalsha']);
    // Only the best five are kept (hotMaxItems), and they are the right ones.
    expect(await redis().zcard(key('hot:news'))).toBe(5);
    const top = await storage().features.topHot('acme', 'news', 10, NOW);
    expect(top).toHaveLength(5);
    const all = await storage().features.hotScores(
      'acme',
      'news',
      top.map((t) => t.item_id),
      NOW,
    );
    for (const { item_id, score } of top) expect(all.get(item_id)).toBeCloseTo(score, 9);
  });

  it('keeps only the best hotMaxItems items of a scenario', async () => {
    await storage().features.addHotScores(
      [1, 2, 3, 4, 5, 6, 7].map((w) => hit(`w${w}`, w)),
      24,
    );
    await storage().features.addHotScores([hit('negative', -1)], 24);
    expect((await storage().features.topHot('acme', 'home', 10, NOW)).map((s) => s.item_id)).toEqual(['w7', 'w6', 'w5', 'w4', 'w3']);
  });

  it('rebases after more than 32 half-lives without losing the current scores', async () => {
    await storage().features.addHotScores([hit('old', 1000, NOW - 40 * HOUR_MS), hit('older', 4000, NOW - 41 * HOUR_MS)], 1);
    await storage().features.addHotScores([hit('new', 1, NOW)], 1);
    expect(Number(await redis().hget(key('hotref:home'), 'ref'))).toBe(NOW);
    const scores = await storage().features.hotScores('acme', 'home', ['old', 'older', 'new'], NOW);
    expect(scores.get('old')).toBeCloseTo(1000 * 2 ** -40, 15);
    expect(scores.get('older')).toBeCloseTo(4000 * 2 ** -41, 15);
    expect(scores.get('new')).toBeCloseTo(1, 9);
  });

  it('lets idle data expire: hot scores after hotIdleHalfLives, recent items after recentTtlSeconds', async () => {
    await storage().features.addHotScores([hit('i1', 1)], 2);
    await storage().features.pushRecent('acme', 'u1', [click('i1', 0)], 10);
    await storage().features.setNeighbours('acme', 'home', 'i1', []);
    const hotTtl = await redis().pttl(key('hot:home'));
    expect(hotTtl).toBeGreaterThan(64 * 2 * HOUR_MS - 60_000);
    expect(hotTtl).toBeLessThanOrEqual(64 * 2 * HOUR_MS);
    expect(await redis().pttl(key('hotref:home'))).toBeGreaterThan(0);
    expect(await redis().ttl(key('recent:u1'))).toBeGreaterThan(29 * 24 * 3600);
    expect(await redis().ttl(key('nbr:home:i1'))).toBeGreaterThan(6 * 24 * 3600);
  });

  it('stores the same event delivered twice once', async () => {
    await storage().features.pushRecent('acme', 'u1', [click('a', 1), click('a', 1)], 10);
    await storage().features.pushRecent('acme', 'u1', [click('a', 1), click('a', 2)], 10);
    expect((await storage().features.recent('acme', 'u1', 10)).map((i) => i.timestamp)).toEqual([NOW + 120_000, NOW + 60_000]);
  });

  it('rejects a non-positive half-life or a non-finite weight', async () => {
    await expect(storage().features.addHotScores([hit('i1', 1)], 0)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(storage().features.addHotScores([hit('i1', Number.NaN)], 24)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('needs at most 1 KiB for an active user with 15 recent interactions (MEMORY USAGE)', async () => {
    const objectIdLike = (i: number) => `65a1f0c2e4b0${String(i).padStart(12, '0')}`;
    const interactions = Array.from({ length: 15 }, (_, i) => ({ ...click(objectIdLike(i), i), action_type: i % 3 ? 'click' : 'view' }));
    await storage().features.pushRecent('acme', 'user-000123', interactions, 500);
    const bytes = (await redis().memory('USAGE', key('recent:user-000123'))) as number;
    expect(await redis().object('ENCODING', key('recent:user-000123'))).toBe('listpack');
    expect(bytes).toBeLessThanOrEqual(1024);
  });
});
