import type { Item, ScenarioConfig } from '@lemo/domain';
import type { Candidate } from '@lemo/recall';
import { NOW, testItem } from '../testing';
import type { RankContext } from './ranked-item';
import { RuleRanker } from './rule.ranker';

const candidate = (item_id: string, score: number): Candidate => ({ item_id, score, strategy: 's', reason: `r-${item_id}` });
const rankConfig = (rule_weights: ScenarioConfig['rank']['rule_weights']): ScenarioConfig['rank'] => ({ model: 'rule', objective: 'ctr', rule_weights });
const context = (hot: Record<string, number> = {}): RankContext => ({
  tenantId: 't1',
  scenarioId: 's1',
  userId: 'u1',
  now: NOW,
  hotScores: new Map(Object.entries(hot)),
});
const itemMap = (...items: Item[]) => new Map(items.map((i) => [i.item_id, i]));

describe('RuleRanker', () => {
  const ranker = new RuleRanker();

  it('drops candidates whose item is unknown or not active, keeping strategy and reason', async () => {
    const items = itemMap(testItem('a'), testItem('gone', {}, 1, { status: 'deleted' }), testItem('off', {}, 1, { status: 'inactive' }));
    const ranked = await ranker.rank(
      [candidate('a', 0.5), candidate('unknown', 1), candidate('gone', 1), candidate('off', 1)],
      items,
      context(),
      rankConfig({ recall: 1, popularity: 0, freshness: 0 }),
    );
    expect(ranked).toEqual([{ item: items.get('a'), score: 1, strategy: 's', reason: 'r-a' }]);
  });

  it('with only the recall weight, keeps the recall order with scores scaled to the best', async () => {
    const ranked = await ranker.rank(
      [candidate('a', 2), candidate('b', 1)],
      itemMap(testItem('a'), testItem('b')),
      context(),
      rankConfig({ recall: 1, popularity: 0, freshness: 0 }),
    );
    expect(ranked.map((r) => [r.item.item_id, r.score])).toEqual([
      ['a', 1],
      ['b', 0.5],
    ]);
  });

  it('adds log-scaled popularity and freshness by their weights', async () => {
    const items = itemMap(testItem('old-hot', {}, 24 * 30), testItem('new-cold', {}, 0), testItem('mid', {}, 72));
    const candidates = [candidate('old-hot', 1), candidate('new-cold', 1), candidate('mid', 1)];
    const hot = { 'old-hot': 99, mid: 9 };

    const byPopularity = await ranker.rank(candidates, items, context(hot), rankConfig({ recall: 1, popularity: 1, freshness: 0 }));
    expect(byPopularity.map((r) => r.item.item_id)).toEqual(['old-hot', 'mid', 'new-cold']);
    expect(byPopularity[1].score).toBeCloseTo(1 + Math.log(10) / Math.log(100), 10);

    const byFreshness = await ranker.rank(candidates, items, context(hot), rankConfig({ recall: 1, popularity: 0, freshness: 1 }));
    expect(byFreshness.map((r) => r.item.item_id)).toEqual(['new-cold', 'mid', 'old-hot']);
    expect(byFreshness[1].score).toBeCloseTo(1.5, 10);
  });

  it('breaks ties by recall order and survives empty or zero-score input', async () => {
    const items = itemMap(testItem('x'), testItem('y'), testItem('z'));
    const ranked = await ranker.rank(
      [candidate('z', 0), candidate('x', 0), candidate('y', 0)],
      items,
      context(),
      rankConfig({ recall: 1, popularity: 0.3, freshness: 0 }),
    );
    expect(ranked.map((r) => [r.item.item_id, r.score])).toEqual([
      ['z', 0],
      ['x', 0],
      ['y', 0],
    ]);
    expect(await ranker.rank([], items, context(), rankConfig({ recall: 1, popularity: 1, freshness: 1 }))).toEqual([]);
  });
});
