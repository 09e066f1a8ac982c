import { itemCategory, type BusinessRule, type ScenarioConfig } from '@lemo/domain';
import { NOW, rankedList, testItem } from '../../testing';
import type { RankedItem } from '../ranked-item';
import { Reranker } from './reranker';

type RerankConfig = ScenarioConfig['rerank'];
const NO_DIVERSITY = { enabled: false, method: 'mmr', lambda: 0.7, window: 5, max_per_window: 2, category_field: 'category' } as const;
const NO_FRESHNESS = { enabled: false, half_life_hours: 72, weight: 0.2 };

function config(overrides: Partial<RerankConfig> = {}): RerankConfig {
  return { diversity: { ...NO_DIVERSITY }, freshness: { ...NO_FRESHNESS }, rules: [], ...overrides };
}
const ids = (list: RankedItem[]) => list.map((r) => r.item.item_id);
const reranker = new Reranker();
const rerank = (ranked: RankedItem[], cfg: RerankConfig, count = 10, vectors?: ReadonlyMap<string, Float32Array>) =>
  reranker.rerank(ranked, cfg, { now: NOW, count, vectors });

describe('Reranker business rules', () => {
  const base = rankedList([
    ['a', 'shoes'],
    ['b', 'hats'],
    ['c', 'shoes'],
    ['d', 'socks'],
    ['e', 'hats'],
  ]);

  it('filters by condition and by item ids', () => {
    const rules: BusinessRule[] = [
      { type: 'filter', condition: { field: 'category', op: 'eq', value: 'hats' } },
      { type: 'filter', item_ids: ['a'] },
    ];
    expect(ids(rerank(base, config({ rules })))).toEqual(['c', 'd']);
  });

  it('boosts and buries by factor, changing the order', () => {
    const rules: BusinessRule[] = [
      { type: 'boost', item_ids: ['e'], factor: 2 },
      { type: 'bury', condition: { field: 'category', op: 'eq', value: 'shoes' }, factor: 0.5 },
    ];
    const result = rerank(base, config({ rules }));
    expect(ids(result)).toEqual(['e', 'b', 'd', 'a', 'c']);
    expect(result[0].score).toBeCloseTo(0.96 * 2, 12);
    expect(base[4].score).toBeCloseTo(0.96, 12);
  });

  it('pins present items at their positions, listed order first, without duplicating them', () => {
    const rules: BusinessRule[] = [{ type: 'pin', item_ids: ['e', 'd'], position: 1 }];
    expect(ids(rerank(base, config({ rules })))).toEqual(['a', 'e', 'd', 'b', 'c']);
  });

  it('ignores pins of absent items, clamps positions to the list and keeps count', () => {
    const rules: BusinessRule[] = [
      { type: 'pin', item_ids: ['ghost'], position: 0 },
      { type: 'pin', item_ids: ['a'], position: 50 },
    ];
    expect(ids(rerank(base, config({ rules })))).toEqual(['b', 'c', 'd', 'e', 'a']);
    expect(ids(rerank(base, config({ rules }), 3))).toEqual(['b', 'c', 'a']);
    expect(ids(rerank(base, config({ rules: [{ type: 'pin', item_ids: ['e'], position: 0 }] }), 2))).toEqual(['e', 'a']);
  });

  it('lets a later filter remove a pinned item, and the first pin of an item win', () => {
    const rules: BusinessRule[] = [
      { type: 'pin', item_ids: ['e'], position: 0 },
      { type: 'pin', item_ids: ['e'], position: 3 },
      { type: 'pin', item_ids: ['d'], position: 0 },
      { type: 'filter', item_ids: ['d'] },
    ];
    expect(ids(rerank(base, config({ rules })))).toEqual(['e', 'a', 'b', 'c']);
  });
});

describe('Reranker freshness', () => {
  it('boosts newer items multiplicatively by 1 + weight · 2^(−age/half-life)', () => {
    const ranked: RankedItem[] = [
      { item: testItem('old', {}, 24 * 30), score: 1, strategy: 's', reason: 'r' },
      { item: testItem('day', {}, 24), score: 1, strategy: 's', reason: 'r' },
      { item: testItem('new', {}, 0), score: 1, strategy: 's', reason: 'r' },
    ];
    const result = rerank(ranked, config({ freshness: { enabled: true, half_life_hours: 24, weight: 0.5 } }));
    expect(ids(result)).toEqual(['new', 'day', 'old']);
    expect(result.map((r) => r.score)).toEqual([1.5, 1.25, expect.closeTo(1 + 0.5 * 2 ** -30, 12)]);
  });

  it('does not reorder when disabled, and a strong score still beats freshness', () => {
    const ranked: RankedItem[] = [
      { item: testItem('old', {}, 24 * 30), score: 2, strategy: 's', reason: 'r' },
      { item: testItem('new', {}, 0), score: 1, strategy: 's', reason: 'r' },
    ];
    expect(ids(rerank(ranked, config()))).toEqual(['old', 'new']);
    expect(ids(rerank(ranked, config({ freshness: { enabled: true, half_life_hours: 24, weight: 0.5 } })))).toEqual(['old', 'new']);
  });
});

describe('Reranker diversity', () => {
  const mmrConfig = (lambda: number) => config({ diversity: { ...NO_DIVERSITY, enabled: true, method: 'mmr', lambda } });
  const windowConfig = (window: number, max_per_window: number) =>
    config({ diversity: { ...NO_DIVERSITY, enabled: true, method: 'category_window', window, max_per_window } });
  const clustered = rankedList([
    ['s1', 'shoes'],
    ['s2', 'shoes'],
    ['s3', 'shoes'],
    ['h1', 'hats'],
    ['s4', 'shoes'],
    ['h2', 'hats'],
    ['k1', 'socks'],
  ]);

  it('MMR with lambda 1 keeps the relevance order', () => {
    expect(ids(rerank(clustered, mmrConfig(1), 5))).toEqual(['s1', 's2', 's3', 'h1', 's4']);
  });

  it('MMR with a low lambda spreads categories across the top slots', () => {
    const top = rerank(clustered, mmrConfig(0.3), 3);
    expect(ids(top)).toEqual(['s1', 'h1', 'k1']);
  });

  it('MMR uses vector cosine when vectors are given', () => {
    const vectors = new Map<string, Float32Array>([
      ['s1', Float32Array.of(1, 0)],
      ['s2', Float32Array.of(0, 1)],
      ['s3', Float32Array.of(1, 0.01)],
      ['h1', Float32Array.of(1, 0)],
    ]);
    const pool = clustered.slice(0, 4);
    // By category s2 and s3 duplicate s1; by vectors s2 is orthogonal to it and h1 identical.
    expect(ids(rerank(pool, mmrConfig(0.5), 2))).toEqual(['s1', 'h1']);
    expect(ids(rerank(pool, mmrConfig(0.5), 2, vectors))).toEqual(['s1', 's2']);
  });

  it('category window: no window of consecutive slots holds more than max_per_window of one category', () => {
    let seed = 11;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const categories = ['a', 'a', 'a', 'b', 'b', 'c', 'd'];
    const pool = rankedList(Array.from({ length: 60 }, (_, i): [string, string] => [`i${i}`, categories[Math.floor(random() * categories.length)]]));
    const result = rerank(pool, windowConfig(4, 2), 20);
    expect(result).toHaveLength(20);
    const cats = result.map((r) => itemCategory(r.item));
    for (let start = 0; start + 4 <= cats.length; start++) {
      const window = cats.slice(start, start + 4);
      for (const c of new Set(window)) expect(window.filter((x) => x === c).length).toBeLessThanOrEqual(2);
    }
    expect(new Set(ids(result)).size).toBe(20);
  });

  it('category window relaxes rather than returning fewer items when one category is all there is', () => {
    const pool = rankedList([
      ['s1', 'shoes'],
      ['s2', 'shoes'],
      ['s3', 'shoes'],
      ['h1', 'hats'],
    ]);
    expect(ids(rerank(pool, windowConfig(3, 1), 4))).toEqual(['s1', 'h1', 's2', 's3']);
  });

  it('is deterministic and leaves its input untouched', () => {
    const before = JSON.stringify(clustered);
    const cfg = config({
      diversity: { ...NO_DIVERSITY, enabled: true, method: 'mmr', lambda: 0.5 },
      freshness: { enabled: true, half_life_hours: 1, weight: 1 },
      rules: [{ type: 'boost', item_ids: ['k1'], factor: 3 }],
    });
    expect(ids(rerank(clustered, cfg, 5))).toEqual(ids(rerank(clustered, cfg, 5)));
    expect(JSON.stringify(clustered)).toBe(before);
    expect(rerank(clustered, cfg, 0)).toEqual([]);
  });
});
