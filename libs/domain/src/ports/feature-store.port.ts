export interface ScoredId {
  item_id: string;
  score: number;
}

export interface RecentInteraction {
  item_id: string;
  scenario_id: string;
  action_type: string;
  timestamp: number;
}

export interface HotScoreIncrement {
  tenantId: string;
  scenarioId: string;
  itemId: string;
  weight: number;
  /** Event time, unix ms. */
  at: number;
}

/**
 * Real-time features the serving path reads on every request: item hot scores
 * (exponentially decayed, per scenario), each user's recent interactions, and
 * item-to-item neighbour lists built by the similarity job.
 */
export abstract class FeatureStore {
  /** Adds decayed contributions; `halfLifeHours` comes from the scenario's real-time config. */
  abstract addHotScores(increments: readonly HotScoreIncrement[], halfLifeHours: number): Promise<void>;
  /** Highest current hot scores, best first, scores decayed to `now`. */
  abstract topHot(tenantId: string, scenarioId: string, limit: number, now: number): Promise<ScoredId[]>;
  /** Current hot scores of the given items (0 for unknown ones). */
  abstract hotScores(tenantId: string, scenarioId: string, itemIds: readonly string[], now: number): Promise<Map<string, number>>;
  abstract removeItems(tenantId: string, scenarioId: string, itemIds: readonly string[]): Promise<void>;

  /** Records interactions, keeping the newest `keep` per user; one already stored (same item, scenario, action and time) is not stored again. */
  abstract pushRecent(tenantId: string, userId: string, interactions: readonly RecentInteraction[], keep: number): Promise<void>;
  /** Newest first. */
  abstract recent(tenantId: string, userId: string, limit: number): Promise<RecentInteraction[]>;
  abstract deleteUser(tenantId: string, userId: string): Promise<void>;

  /** Replaces an item's neighbour list. */
  abstract setNeighbours(tenantId: string, scenarioId: string, itemId: string, neighbours: readonly ScoredId[]): Promise<void>;
  abstract neighbours(tenantId: string, scenarioId: string, itemIds: readonly string[]): Promise<Map<string, ScoredId[]>>;

  /** Maintenance (the cache cleanup job): every (tenant, scenario) holding hot scores or neighbour lists. */
  abstract scenarioNamespaces(): Promise<FeatureNamespace[]>;
  /** Removes a scenario's hot scores and neighbour lists (a deleted scenario); returns how many keys or rows went. */
  abstract deleteScenario(tenantId: string, scenarioId: string): Promise<number>;
  /** Keeps a scenario's best `maxItems` hot scores (by stored score); returns how many were dropped. */
  abstract trimHotScores(tenantId: string, scenarioId: string, maxItems: number): Promise<number>;
}

export interface FeatureNamespace {
  tenant_id: string;
  scenario_id: string;
}
