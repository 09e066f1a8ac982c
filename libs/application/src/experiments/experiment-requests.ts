import { z } from 'zod';
import { ACTION_TYPE_NAMES, conditionSchema, createExperimentSchema, EXPERIMENT_STATUSES, layerSliceSchema } from '@lemo/domain';
import { pageQuerySchema } from '../shared/page-request';

export { createExperimentSchema };
export type CreateExperimentRequest = z.infer<typeof createExperimentSchema>;

const shape = createExperimentSchema.shape;

/**
 * A partial update. The fields that decide who sees which variant (variants,
 * layer, layer_slice, holdout_percent, targeting) can only change in draft:
 * changing them later would move users between variants mid-experiment.
 */
export const updateExperimentSchema = z
  .object({
    name: z.string().min(1).max(256).optional(),
    description: z.string().max(4096).optional(),
    hypothesis: z.string().max(4096).optional(),
    layer: z.string().min(1).max(64).optional(),
    layer_slice: layerSliceSchema.optional(),
    holdout_percent: z.number().min(0).lt(100).optional(),
    targeting: z.array(conditionSchema).max(20).optional(),
    variants: shape.variants.optional(),
    min_sample_size: z.number().int().positive().optional(),
    confidence_level: z.number().gt(0.5).lt(1).optional(),
  })
  .strict();
export type UpdateExperimentRequest = z.infer<typeof updateExperimentSchema>;

/** Fields whose change would reassign users; editable in draft only. */
export const ASSIGNMENT_FIELDS = ['variants', 'layer', 'layer_slice', 'holdout_percent', 'targeting'] as const satisfies ReadonlyArray<keyof UpdateExperimentRequest>;

export const experimentListQuerySchema = pageQuerySchema
  .extend({ scenario_id: z.string().min(1).max(128).optional(), status: z.enum(EXPERIMENT_STATUSES).optional() })
  .strict();

/** `GET /experiments/{id}/assignments`: recorded assignments, optionally of one variant (or `_holdout`) or one user. */
export const assignmentListQuerySchema = pageQuerySchema
  .extend({ variant_id: z.string().min(1).max(128).optional(), user_id: z.string().min(1).max(128).optional() })
  .strict();
export type AssignmentListQuery = z.infer<typeof assignmentListQuerySchema>;

export const experimentResultsQuerySchema = z
  .object({
    /** The action counted as a conversion (one action, so converting users stay a distinct count). */
    conversion_action: z.enum(ACTION_TYPE_NAMES, { error: `conversion_action must be one of: ${ACTION_TYPE_NAMES.join(', ')}` }).default('purchase'),
  })
  .strict();
export type ExperimentResultsQuery = z.infer<typeof experimentResultsQuerySchema>;
