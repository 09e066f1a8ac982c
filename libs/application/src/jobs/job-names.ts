import type { QueueName } from '@lemo/domain';

/** Background jobs: which queue each runs on, and its payload. */
export const JOBS = {
  itemVectors: { queue: 'item_processing', name: 'item_vectors' },
  /** Every item of a scenario (the hourly rebuild, or an operator's trigger); `item_vectors` takes the changed ones. */
  scenarioItemVectors: { queue: 'item_processing', name: 'scenario_item_vectors' },
  itemSimilarity: { queue: 'default', name: 'item_similarity' },
  recallTraining: { queue: 'model_training', name: 'recall_training' },
  rankerTraining: { queue: 'model_training', name: 'ranker_training' },
  userProfiles: { queue: 'user_profile', name: 'user_profiles' },
  precompute: { queue: 'default', name: 'precompute' },
  /** Per tenant or global, not per scenario: keys of deleted tenants, scenarios and users, stale lists, hot-score trims. */
  cacheCleanup: { queue: 'default', name: 'cache_cleanup' },
} as const satisfies Record<string, { queue: QueueName; name: string }>;

export interface ItemVectorsJob {
  tenant_id: string;
  scenario_id: string;
  item_ids: string[];
}

export interface ScenarioItemVectorsJob {
  tenant_id: string;
  scenario_id: string;
}

export interface ItemSimilarityJob {
  tenant_id: string;
  scenario_id: string;
  /** 'incremental': only the events appended since the last build (the debounced run after new events); a full rebuild otherwise. */
  mode?: 'incremental' | 'full';
}

export interface RecallTrainingJob {
  tenant_id: string;
  scenario_id: string;
  algorithm: string;
  params: Record<string, unknown>;
  deploy: boolean;
}

/** A learned ranker's training run: same payload, `algorithm` one of lr, fm, deepfm, wide_deep. */
export type RankerTrainingJob = RecallTrainingJob;

/** Profiles (and user vectors) of the scenario's users active since the last run. */
export interface UserProfilesJob {
  tenant_id: string;
  scenario_id: string;
}

/** Recommendation lists for the scenario's recently active users. */
export interface PrecomputeJob {
  tenant_id: string;
  scenario_id: string;
}

/**
 * One tenant's keys (a tenant's trigger), or, with `tenant_id` null, every
 * tenant's and those of tenants that no longer exist (beat's daily run; no
 * tenant lists that job).
 */
export interface CacheCleanupJob {
  tenant_id: string | null;
}
