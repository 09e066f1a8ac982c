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
  /** Told which model actually ordered the list (a learned ranker may fall back to the rule score); for the response's debug. */
  report?: (ranking: RankingReport) => void;
}

/** Which model ordered a list, where it ran, and why a fallback served instead when one did. */
export interface RankingReport {
  /** The ranker whose scores ordered the list: a learned kind, or 'rule'. */
  ranker: string;
  /** The model version that scored, for learned rankers. */
  version: string | null;
  served_by: 'in_process' | 'model_server';
  fallback?: string;
}
