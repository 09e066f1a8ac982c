import { z } from 'zod';
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
  layer: string;
  min_sample_size: number;
  confidence_level: number;
  started_at: string | null;
  ended_at: string | null;
  created_at: string;
  updated_at: string;
}

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
