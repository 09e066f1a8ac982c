import { InMemoryFeatureStore, interaction, strategyConfig, userContext } from '../../testing';
import { ItemCfRecall } from './item-cf.strategy';

/** Two planted clusters: a* items are each other's neighbours, b* likewise, with a weak cross link. */
async function clusteredStore(): Promise<InMemoryFeatureStore> {
  const store = new InMemoryFeatureStore();
  for (const group of ['a', 'b']) {
    for (let i = 0; i < 5; i++) {
      const neighbours = [0, 1, 2, 3, 4].filter((j) => j !== i).map((j) => ({ item_id: `${group}${j}`, score: 0.8 - 0.1 * Math.abs(i - j) }));
      neighbours.push({ item_id: `${group === 'a' ? 'b' : 'a'}${i}`, score: 0.05 });
      await store.setNeighbours('t1', 's1', `${group}${i}`, neighbours);
    }
  }
  return store;
}

describe('ItemCfRecall', () => {
  it('recalls the cluster of the items the user engaged with, best first, scores normalised', async () => {
    const itemCf = new ItemCfRecall(await clusteredStore());
    const candidates = await itemCf.recall(
      userContext([interaction('a0', 'like'), interaction('a1', 'click')]),
      strategyConfig('item_cf'),
      new Set(['a0', 'a1']),
    );
    const ids = candidates.map((c) => c.item_id);
    expect(ids.slice(0, 3).sort()).toEqual(['a2', 'a3', 'a4']);
    expect(candidates[0].score).toBe(1);
    for (const c of candidates) expect(c.score).toBeGreaterThan(0);
    expect(candidates.filter((c) => c.item_id.startsWith('b')).every((c) => c.score < 0.2)).toBe(true);
  });

  it('names the source that contributed most, with the verb of the action', async () => {
    const store = new InMemoryFeatureStore();
    await store.setNeighbours('t1', 's1', 'viewed', [{ item_id: 'x', score: 0.9 }]);
    await store.setNeighbours('t1', 's1', 'bought', [{ item_id: 'x', score: 0.5 }]);
    const candidates = await new ItemCfRecall(store).recall(
      userContext([interaction('viewed', 'view'), interaction('bought', 'purchase')]),
      strategyConfig('item_cf'),
      new Set(),
    );
    // purchase (8) × 0.5 beats view (1) × 0.9.
    expect(candidates).toEqual([{ item_id: 'x', score: 1, strategy: 'item_cf', reason: 'similar to bought you bought', source_item_id: 'bought' }]);
  });

  it('weights sources by action weight and recency', async () => {
    const store = new InMemoryFeatureStore();
    await store.setNeighbours('t1', 's1', 'recent', [{ item_id: 'from-recent', score: 0.5 }]);
    await store.setNeighbours('t1', 's1', 'stale', [{ item_id: 'from-stale', score: 0.5 }]);
    const itemCf = new ItemCfRecall(store);
    const ctx = userContext([interaction('recent', 'like', 1), interaction('stale', 'like', 24 * 30)]);
    const candidates = await itemCf.recall(ctx, strategyConfig('item_cf'), new Set());
    expect(candidates.map((c) => c.item_id)).toEqual(['from-recent', 'from-stale']);
    expect(candidates[1].score).toBeCloseTo(2 ** (-(24 * 30 - 1) / 72), 6);
    const overridden = await itemCf.recall({ ...ctx, actionWeights: { like: 0 } }, strategyConfig('item_cf'), new Set());
    expect(overridden).toEqual([]);
  });

  it('does not seed from negative actions, skips excluded ids and respects the limit', async () => {
    const store = await clusteredStore();
    const itemCf = new ItemCfRecall(store);
    const disliked = await itemCf.recall(userContext([interaction('b0', 'dislike'), interaction('b1', 'impression')]), strategyConfig('item_cf'), new Set());
    expect(disliked).toEqual([]);
    const limited = await itemCf.recall(userContext([interaction('a0', 'like')]), strategyConfig('item_cf', { limit: 2 }), new Set(['a1']));
    expect(limited.map((c) => c.item_id)).toEqual(['a2', 'a3']);
  });

  it('returns nothing for a user without history, without touching the store', async () => {
    const store = await clusteredStore();
    expect(await new ItemCfRecall(store).recall(userContext([], { userId: null }), strategyConfig('item_cf'), new Set())).toEqual([]);
    expect(store.calls).toEqual([]);
  });

  it('limits the number of seeds to max_sources, newest first', async () => {
    const store = await clusteredStore();
    const recent = [interaction('a0', 'like', 1), interaction('b0', 'like', 2), interaction('b1', 'like', 3)];
    await new ItemCfRecall(store).recall(userContext(recent), strategyConfig('item_cf', { params: { max_sources: 2 } }), new Set());
    expect(store.calls).toEqual(['neighbours:a0,b0']);
  });
});
