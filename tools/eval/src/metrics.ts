/** Top-K ranking metrics of one list, binary relevance. */
export interface RankingMetrics {
  recall: number;
  ndcg: number;
  precision: number;
  mrr: number;
  hit: number;
}

export const METRIC_NAMES: readonly (keyof RankingMetrics)[] = ['recall', 'ndcg', 'precision', 'mrr', 'hit'];

/** Metrics at every K averaged over the users evaluated, and item coverage at every K. */
export interface MetricsSummary {
  users: number;
  /** Keyed by K. */
  at: Record<number, RankingMetrics>;
  /** Keyed by K: distinct items recommended in some user's top-K / number of items. */
  coverage: Record<number, number>;
}

/**
 * The metrics of one ranked list against a user's test items:
 * Recall@K = hits / #test, Precision@K = hits / K, Hit@K = 1 if any hit,
 * MRR@K = 1 / rank of the first hit (0 if none),
 * NDCG@K = Σ_hits 1/log2(rank+1) / Σ_{r=1..min(K, #test)} 1/log2(r+1).
 */
export function rankingMetrics(ranked: ArrayLike<number>, isRelevant: (item: number) => boolean, relevantCount: number, k: number): RankingMetrics {
  let hits = 0;
  let dcg = 0;
  let firstHit = 0;
  const depth = Math.min(k, ranked.length);
  for (let r = 0; r < depth; r++) {
    if (!isRelevant(ranked[r])) continue;
    hits++;
    dcg += 1 / Math.log2(r + 2);
    if (firstHit === 0) firstHit = r + 1;
  }
  let idcg = 0;
  for (let r = 0; r < Math.min(k, relevantCount); r++) idcg += 1 / Math.log2(r + 2);
  return {
    recall: relevantCount > 0 ? hits / relevantCount : 0,
    ndcg: idcg > 0 ? dcg / idcg : 0,
    precision: hits / k,
    mrr: firstHit > 0 ? 1 / firstHit : 0,
    hit: hits > 0 ? 1 : 0,
  };
}

/** Sums per-user metrics at several K and the items seen in top-K lists; users without test items must not be added. */
export class MetricsAccumulator {
  /** Parallel to `ks`. */
  private readonly sums: RankingMetrics[];
  private readonly recommended: Uint8Array[];
  private users = 0;

  constructor(
    private readonly ks: readonly number[],
    private readonly items: number,
  ) {
    this.sums = ks.map(() => ({ recall: 0, ndcg: 0, precision: 0, mrr: 0, hit: 0 }));
    this.recommended = ks.map(() => new Uint8Array(items));
  }

  add(ranked: ArrayLike<number>, isRelevant: (item: number) => boolean, relevantCount: number): void {
    this.users++;
    this.ks.forEach((k, index) => {
      const metrics = rankingMetrics(ranked, isRelevant, relevantCount, k);
      const sum = this.sums[index];
      for (const name of METRIC_NAMES) sum[name] += metrics[name];
      const seen = this.recommended[index];
      for (let r = 0; r < Math.min(k, ranked.length); r++) seen[ranked[r]] = 1;
    });
  }

  summary(): MetricsSummary {
    const at: Record<number, RankingMetrics> = {};
    const coverage: Record<number, number> = {};
    this.ks.forEach((k, index) => {
      const sum = this.sums[index];
      const mean = { ...sum };
      for (const name of METRIC_NAMES) mean[name] = this.users > 0 ? sum[name] / this.users : 0;
      at[k] = mean;
      let distinct = 0;
      for (const flag of this.recommended[index]) distinct += flag;
      coverage[k] = this.items > 0 ? distinct / this.items : 0;
    });
    return { users: this.users, at, coverage };
  }
}
