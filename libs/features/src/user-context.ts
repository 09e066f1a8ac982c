import type { ActionWeights, RecentInteraction } from '@lemo/domain';

/** Who is asking and what they just did: the input every recall strategy reads. */
export interface UserContext {
  tenantId: string;
  scenarioId: string;
  /** null for anonymous requests: personalised strategies return nothing. */
  userId: string | null;
  /** The user's recent interactions, newest first (FeatureStore.recent). */
  recent: RecentInteraction[];
  /** Request time, unix ms; every recency computation is relative to it. */
  now: number;
  /** The scenario's realtime.action_weights overrides; contract defaults when absent. */
  actionWeights?: ActionWeights;
}
