import type { Item } from '@lemo/domain';

/** A candidate with its catalogue item and final score, as served. */
export interface RankedItem {
  item: Item;
  score: number;
  /** The recall strategy that found it. */
  strategy: string;
  reason: string;
}

/** What a ranker may know about the request besides the candidates. */
export interface RankContext {
  tenantId: string;
  scenarioId: string;
  userId: string | null;
  /** Request time, unix ms. */
  now: number;
  /** Current hot scores of the candidates (FeatureStore.hotScores); missing = 0. */
  hotScores: ReadonlyMap<string, number>;
  /** Half-life of the rule score's freshness term; defaults to 72 h. */
  freshnessHalfLifeHours?: number;
}
