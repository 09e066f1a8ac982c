import { z } from 'zod';
import { clientId } from '../shared/identifiers';

export const MODEL_TYPES = ['recall', 'rank', 'rerank'] as const;
export const MODEL_STATUSES = ['draft', 'training', 'trained', 'deployed', 'failed', 'archived'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

export interface ModelVersion {
  version: string;
  status: ModelStatus;
  metrics: Record<string, number>;
  artifact_uri: string | null;
  trained_at: string | null;
  created_at: string;
  /**
   * The training run that recorded this version (queue, job id and the job's creation time), so that a
   * retried or recovered run of the same job finds its version instead of appending a second one.
   */
  training_run?: string;
}

export interface Model {
  tenant_id: string;
  model_id: string;
  name: string;
  model_type: (typeof MODEL_TYPES)[number];
  algorithm: string;
  scenario_id: string | null;
  description: string;
  config: Record<string, unknown>;
  status: ModelStatus;
  versions: ModelVersion[];
  /** The version serving traffic, if any. */
  deployed_version: string | null;
  created_at: string;
  updated_at: string;
}

export const createModelSchema = z
  .object({
    model_id: clientId('model_id'),
    name: z.string().min(1).max(256),
    model_type: z.enum(MODEL_TYPES),
    algorithm: z.string().min(1).max(64),
    scenario_id: clientId('scenario_id').optional(),
    description: z.string().max(4096).default(''),
    config: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
