import type { QueueName } from '@lemo/domain';

/** Background jobs: which queue each runs on, and its payload. */
export const JOBS = {
  itemVectors: { queue: 'item_processing', name: 'item_vectors' },
  /** Every item of a scenario (the hourly rebuild, or an operator's trigger); `item_vectors` takes the changed ones. */
  scenarioItemVectors: { queue: 'item_processing', name: 'scenario_item_vectors' },
  itemSimilarity: { queue: 'default', name: 'item_similarity' },
  recallTraining: { queue: 'model_training', name: 'recall_training' },
  rankerTraining: { queue: 'model_training', name: 'ranker_training' },
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
