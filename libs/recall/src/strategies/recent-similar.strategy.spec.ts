import { BruteForceVectorIndex, interaction, strategyConfig, userContext } from '../../testing';
import { RecentSimilarRecall } from './recent-similar.strategy';

/** Topic A items point along axis 0, topic B along axis 1, with a small per-item offset on axis 2. */
async function topicIndex(): Promise<BruteForceVectorIndex> {
  const index = new BruteForceVectorIndex(3);
  const entries = [];
  for (let i = 0; i < 5; i++) {
    entries.push({ id: `a${i}`, vector: [1, 0, 0.1 * i] });
    entries.push({ id: `b${i}`, vector: [0, 1, 0.1 * i] });
  }
  await index.upsert('t1', 's1', entries);
  return index;
}

describe('RecentSimilarRecall', () => {
  it('searches around the mean of the recent item vectors and never returns the recent items', async () => {
    const index = await topicIndex();
    const recall = new RecentSimilarRecall(index);
    const candidates = await recall.recall(
      userContext([interaction('a0', 'view'), interaction('a1', 'like')]),
      strategyConfig('recent_similar', { limit: 3 }),
      new Set(['a2']),
    );
    expect(candidates.map((c) => c.item_id.slice(0, 1))).toEqual(['a', 'a', 'b']);
    expect(candidates.slice(0, 2).map((c) => c.item_id)).toEqual(['a3', 'a4']);
    expect(candidates[0]).toMatchObject({ score: 1, strategy: 'recent_similar', reason: 'similar to your recent items' });
    expect(candidates[2].score).toBeLessThan(0.2);
    expect(index.searches).toHaveLength(1);
    expect(index.searches[0].exclude).toEqual(['a0', 'a1', 'a2']);
  });

  it('in per_item mode searches each recent item and names the strongest source', async () => {
    const index = await topicIndex();
    const recall = new RecentSimilarRecall(index);
    const candidates = await recall.recall(
      userContext([interaction('a0', 'view'), interaction('b0', 'purchase')]),
      strategyConfig('recent_similar', { limit: 4, params: { mode: 'per_item' } }),
      new Set(),
    );
    expect(index.searches).toHaveLength(2);
    expect(candidates[0]).toMatchObject({ item_id: 'b1', score: 1, reason: 'similar to b0 you bought', source_item_id: 'b0' });
    expect(candidates.map((c) => c.item_id)).not.toContain('a0');
  });

  it('returns nothing when the user has no history or their items have no vectors', async () => {
    const index = await topicIndex();
    const recall = new RecentSimilarRecall(index);
    expect(await recall.recall(userContext([]), strategyConfig('recent_similar'), new Set())).toEqual([]);
    expect(await recall.recall(userContext([interaction('unknown', 'like')]), strategyConfig('recent_similar'), new Set())).toEqual([]);
    expect(index.searches).toHaveLength(0);
  });
});
