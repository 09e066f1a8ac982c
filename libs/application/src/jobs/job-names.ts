import type { QueueName } from '@lemo/domain';

/** Background jobs: which queue each runs on, and its payload. */
export const JOBS = {
  itemVectors: { queue: 'item_processing', name: 'item_vectors' },
  itemSimilarity: { queue: 'default', name: 'item_similarity' },
  recallTraining: { queue: 'model_training', name: 'recall_training' },
} as const satisfies Record<string, { queue: QueueName; name: string }>;

export interface ItemVectorsJob {
  tenant_id: string;
  scenario_id: string;
  item_ids: string[];
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
