import { HOUR, InMemoryFeatureStore, InMemoryItemRepository, NOW, strategyConfig, testItem, userContext } from '../../testing';
import { LatestRecall } from './latest.strategy';
import { PopularRecall } from './popular.strategy';

describe('PopularRecall', () => {
  const store = new InMemoryFeatureStore().setHot('s1', { a: 100, b: 30, c: 10, d: 1, zero: 0 }).setHot('s2', { other: 500 });
  const popular = new PopularRecall(store);

  it('returns the hottest items best first with log-scaled scores in (0, 1], the top one at 1', async () => {
    const candidates = await popular.recall(userContext(), strategyConfig('popular'), new Set());
    expect(candidates.map((c) => c.item_id)).toEqual(['a', 'b', 'c', 'd']);
    expect(candidates[0].score).toBe(1);
    expect(candidates[1].score).toBeCloseTo(Math.log1p(30) / Math.log1p(100), 12);
    for (let i = 1; i < candidates.length; i++) expect(candidates[i].score).toBeLessThan(candidates[i - 1].score);
    expect(candidates.every((c) => c.strategy === 'popular' && c.reason === 'popular now')).toBe(true);
  });

  it('skips excluded ids, over-fetching so the limit can still be filled', async () => {
    store.calls.length = 0;
    const candidates = await popular.recall(userContext(), strategyConfig('popular', { limit: 2 }), new Set(['a']));
    expect(candidates.map((c) => c.item_id)).toEqual(['b', 'c']);
    expect(candidates[0].score).toBe(1);
    expect(store.calls).toEqual(['topHot:3']);
  });

  it('reads only its own scenario', async () => {
    const candidates = await popular.recall(userContext([], { scenarioId: 's2' }), strategyConfig('popular'), new Set());
    expect(candidates.map((c) => c.item_id)).toEqual(['other']);
  });
});

describe('LatestRecall', () => {
  const items = [
    testItem('old', {}, NOW - 144 * HOUR),
    testItem('newest', {}, NOW - HOUR),
    testItem('mid', { publish_time: new Date(NOW - 73 * HOUR).toISOString() }, 0),
    testItem('hidden', {}, NOW, { status: 'inactive' }),
  ];
  const latest = new LatestRecall(new InMemoryItemRepository(items));

  it('scores by recency relative to the newest item: 1, then halving per half-life', async () => {
    const candidates = await latest.recall(userContext(), strategyConfig('latest'), new Set());
    expect(candidates.map((c) => c.item_id)).toEqual(['newest', 'mid', 'old']);
    expect(candidates.map((c) => c.score)).toEqual([1, expect.closeTo(0.5, 10), expect.closeTo(2 ** (-143 / 72), 10)]);
    expect(candidates[0].reason).toBe('new arrival');
  });

  it('honours exclusion, the limit and the half_life_hours param', async () => {
    const candidates = await latest.recall(userContext(), strategyConfig('latest', { limit: 1, params: { half_life_hours: 24 } }), new Set(['newest']));
    expect(candidates).toEqual([{ item_id: 'mid', score: 1, strategy: 'latest', reason: 'new arrival' }]);
    const both = await latest.recall(userContext(), strategyConfig('latest', { params: { half_life_hours: 24 } }), new Set(['newest']));
    expect(both[1].score).toBeCloseTo(2 ** (-71 / 24), 10);
  });

  it('falls back to the default half-life when the param is unusable', async () => {
    const candidates = await latest.recall(userContext(), strategyConfig('latest', { params: { half_life_hours: 'soon' } }), new Set());
    expect(candidates[1].score).toBeCloseTo(0.5, 10);
  });
});
