import { MetricsAccumulator, rankingMetrics } from './metrics';

const among =
  (...items: number[]) =>
  (item: number) =>
    items.includes(item);

describe('rankingMetrics', () => {
  it('counts only hits within K and takes the ideal DCG over min(K, #test items)', () => {
    // Test items {1, 2, 9}; K = 3: item 1 is a hit at rank 2, item 2 at rank 4 is beyond K.
    const m = rankingMetrics([5, 1, 7, 2], among(1, 2, 9), 3, 3);
    expect(m.recall).toBeCloseTo(1 / 3, 12);
    expect(m.precision).toBeCloseTo(1 / 3, 12);
    expect(m.mrr).toBeCloseTo(1 / 2, 12);
    expect(m.hit).toBe(1);
    // DCG = 1/log2(3); IDCG = 1 + 1/log2(3) + 1/log2(4).
    expect(m.ndcg).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3) + 0.5), 12);
  });

  it('gives NDCG 1 to a single test item ranked first, whatever K', () => {
    const m = rankingMetrics([4, 8, 6], among(4), 1, 10);
    expect(m.ndcg).toBe(1);
    expect(m.recall).toBe(1);
    expect(m.precision).toBeCloseTo(0.1, 12);
    expect(m.mrr).toBe(1);
  });

  it('discounts hits at ranks 1 and 3 against an ideal of two hits', () => {
    const m = rankingMetrics([3, 0, 7, 1], among(3, 7), 2, 10);
    expect(m.ndcg).toBeCloseTo(1.5 / (1 + 1 / Math.log2(3)), 12);
    expect(m.recall).toBe(1);
    expect(m.precision).toBeCloseTo(0.2, 12);
  });

  it('is all zeros without a hit', () => {
    expect(rankingMetrics([1, 2], among(3), 1, 2)).toEqual({ recall: 0, ndcg: 0, precision: 0, mrr: 0, hit: 0 });
  });
});

describe('MetricsAccumulator', () => {
  it('averages over the users added and measures coverage at every K', () => {
    const acc = new MetricsAccumulator([1, 2], 10);
    acc.add([0, 1], among(0), 1); // hit at rank 1
    acc.add([2, 3], among(3), 1); // hit at rank 2
    const summary = acc.summary();
    expect(summary.users).toBe(2);
    expect(summary.at[1].hit).toBe(0.5);
    expect(summary.at[2].mrr).toBeCloseTo((1 + 0.5) / 2, 12);
    expect(summary.at[2].recall).toBe(1);
    expect(summary.coverage[1]).toBeCloseTo(2 / 10, 12);
    expect(summary.coverage[2]).toBeCloseTo(4 / 10, 12);
  });
});
