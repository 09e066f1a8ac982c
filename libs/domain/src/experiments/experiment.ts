import { z } from 'zod';
import { conditionSchema, type Condition } from '../scenarios/scenario-config';
import { clientId } from '../shared/identifiers';

export const EXPERIMENT_STATUSES = ['draft', 'running', 'paused', 'completed', 'archived'] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

export interface ExperimentVariant {
  variant_id: string;
  name: string;
  /** Percent of the experiment's traffic, 0-100; variants sum to 100. */
  traffic_percent: number;
  is_control: boolean;
  /** Partial scenario config merged over the scenario's when this variant serves. */
  config_overrides: Record<string, unknown>;
}

export interface Experiment {
  tenant_id: string;
  experiment_id: string;
  scenario_id: string;
  name: string;
  description: string;
  hypothesis: string;
  status: ExperimentStatus;
  variants: ExperimentVariant[];
  /**
   * Experiments in different layers are assigned by independent hashes, so a
   * user's variants in two layers are uncorrelated; experiments sharing a
   * layer are mutually exclusive when their `layer_slice`s do not overlap.
   */
  layer: string;
  /**
   * The part of the layer's traffic (by layer bucket) this experiment may
   * use. Absent (documents from before it existed) means the whole layer.
   */
  layer_slice?: LayerSlice;
  /**
   * Percent of the experiment's eligible users kept out of every variant and
   * served the scenario's own config, for long-term comparisons. Absent means 0.
   */
  holdout_percent?: number;
  /** Conditions on user attributes, all of which a user must meet to enter. Absent means everyone. */
  targeting?: Condition[];
  min_sample_size: number;
  confidence_level: number;
  started_at: string | null;
  ended_at: string | null;
  created_at: string;
  updated_at: string;
}

/** [from_percent, to_percent) of a layer's buckets. */
export interface LayerSlice {
  from_percent: number;
  to_percent: number;
}

export const layerSliceSchema = z
  .object({
    from_percent: z.number().min(0).max(100),
    to_percent: z.number().min(0).max(100),
  })
  .strict()
  .refine((slice) => slice.from_percent < slice.to_percent, { message: 'from_percent must be below to_percent' });

export const experimentVariantSchema = z
  .object({
    variant_id: clientId('variant_id'),
    name: z.string().min(1).max(128),
    traffic_percent: z.number().min(0).max(100),
    is_control: z.boolean().default(false),
    config_overrides: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const createExperimentSchema = z
  .object({
    experiment_id: clientId('experiment_id'),
    scenario_id: clientId('scenario_id'),
    name: z.string().min(1).max(256),
    description: z.string().max(4096).default(''),
    hypothesis: z.string().max(4096).default(''),
    layer: z.string().min(1).max(64).default('default'),
    layer_slice: layerSliceSchema.default({ from_percent: 0, to_percent: 100 }),
    holdout_percent: z.number().min(0).lt(100).default(0),
    targeting: z.array(conditionSchema).max(20).default([]),
    variants: z
      .array(experimentVariantSchema)
      .min(2)
      .max(20)
      .refine((variants) => Math.abs(variants.reduce((sum, v) => sum + v.traffic_percent, 0) - 100) < 1e-6, {
        message: 'traffic_percent of the variants must sum to 100',
      })
      .refine((variants) => new Set(variants.map((v) => v.variant_id)).size === variants.length, { message: 'variant_id values must be unique' }),
    min_sample_size: z.number().int().positive().default(1000),
    confidence_level: z.number().gt(0.5).lt(1).default(0.95),
  })
  .strict();

/** Allowed lifecycle moves; anything else is a FAILED_PRECONDITION. */
export const EXPERIMENT_TRANSITIONS: Record<ExperimentStatus, readonly ExperimentStatus[]> = {
  draft: ['running', 'archived'],
  running: ['paused', 'completed'],
  paused: ['running', 'completed'],
  completed: ['archived'],
  archived: [],
};
