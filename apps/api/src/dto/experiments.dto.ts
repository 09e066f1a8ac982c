import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import {
  assignmentListQuerySchema,
  createExperimentSchema,
  experimentListQuerySchema,
  experimentResultsQuerySchema,
  updateExperimentSchema,
} from '@lemo/application';
import { EXPERIMENT_STATUSES } from '@lemo/domain';
import { pagedSchema, pageInfoSchema } from './common.dto';

export class CreateExperimentDto extends createZodDto(createExperimentSchema) {}
export class UpdateExperimentDto extends createZodDto(updateExperimentSchema) {}
export class ExperimentListQueryDto extends createZodDto(experimentListQuerySchema) {}
export class AssignmentListQueryDto extends createZodDto(assignmentListQuerySchema) {}
export class ExperimentResultsQueryDto extends createZodDto(experimentResultsQuerySchema) {}

const sliceSchema = z.object({ from_percent: z.number(), to_percent: z.number() });
const conditionOutSchema = z.object({ field: z.string(), op: z.string(), value: z.unknown() });

export const experimentSchema = z.object({
  tenant_id: z.string(),
  experiment_id: z.string(),
  scenario_id: z.string(),
  name: z.string(),
  description: z.string(),
  hypothesis: z.string(),
  status: z.enum(EXPERIMENT_STATUSES),
  variants: z.array(
    z.object({
      variant_id: z.string(),
      name: z.string(),
      traffic_percent: z.number(),
      is_control: z.boolean(),
      config_overrides: z.record(z.string(), z.unknown()),
    }),
  ),
  layer: z.string(),
  layer_slice: sliceSchema.optional(),
  holdout_percent: z.number().optional(),
  targeting: z.array(conditionOutSchema).optional(),
  min_sample_size: z.number().int(),
  confidence_level: z.number(),
  started_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export class ExperimentDto extends createZodDto(experimentSchema) {}
export class ExperimentPageDto extends createZodDto(pagedSchema(experimentSchema)) {}

export class AssignmentDto extends createZodDto(
  z.object({
    experiment_id: z.string(),
    user_id: z.string(),
    /** `variant`, `holdout` or `excluded` (with the reason). */
    assignment: z.object({
      outcome: z.enum(['variant', 'holdout', 'excluded']),
      experiment_id: z.string(),
      layer: z.string(),
      variant_id: z.string().optional(),
      is_control: z.boolean().optional(),
      config_overrides: z.record(z.string(), z.unknown()).optional(),
      reason: z.string().optional(),
    }),
    experiment_group: z.string().nullable().describe('the experiment_group this user\'s events must carry; null when the user is not in the experiment'),
    recorded: z
      .object({ variant_id: z.string(), assigned_at: z.number().int() })
      .nullable()
      .describe('what serving recorded when it first served the user in this experiment (group, unix ms); null when it never did'),
  }),
) {}

export class AssignmentListDto extends createZodDto(
  z.object({
    experiment_id: z.string(),
    counts: z
      .array(z.object({ variant_id: z.string(), users: z.number().int() }))
      .describe('users recorded per group: every variant (0 when none yet), then `_holdout` when held-out users were served'),
    total_users: z.number().int().describe('users recorded in the experiment, every group'),
    items: z
      .array(z.object({ experiment_id: z.string(), variant_id: z.string(), user_id: z.string(), assigned_at: z.number().int().describe('first time serving assigned the user, unix ms') }))
      .describe('one page of the recorded assignments matching the filters, ordered by user_id'),
    page_info: pageInfoSchema,
  }),
) {}

const intervalSchema = z.object({ lower: z.number(), upper: z.number(), level: z.number() });
const comparisonSchema = z.object({
  test: z.enum(['two_proportion_z', 'welch_t']),
  absolute_lift: z.number(),
  absolute_lift_interval: intervalSchema,
  relative_lift: z.number().nullable(),
  relative_lift_interval: intervalSchema.nullable(),
  statistic: z.number(),
  degrees_of_freedom: z.number().nullable(),
  p_value: z.number(),
  adjusted_p_value: z.number(),
  significant: z.boolean(),
  insufficient_sample: z.boolean(),
});
const metricResultSchema = z.object({ value: z.number().nullable(), vs_control: comparisonSchema.nullable() });

export class ExperimentResultsDto extends createZodDto(
  z.object({
    experiment_id: z.string(),
    status: z.enum(EXPERIMENT_STATUSES),
    conversion_action: z.string(),
    range: z.object({ from: z.number(), to: z.number() }),
    confidence_level: z.number(),
    alpha: z.number(),
    control_variant_id: z.string(),
    variants: z.array(
      z.object({
        variant_id: z.string(),
        name: z.string(),
        is_control: z.boolean(),
        traffic_percent: z.number(),
        users: z.number().int(),
        impressions: z.number().int(),
        clicks: z.number().int(),
        conversions: z.number().int(),
        metrics: z.record(z.string(), metricResultSchema),
      }),
    ),
    sample_ratio: z
      .object({
        chi_square: z.number(),
        degrees_of_freedom: z.number(),
        p_value: z.number(),
        mismatch: z.boolean(),
        observed_shares: z.array(z.number()),
        expected_shares: z.array(z.number()),
      })
      .describe('users per variant against traffic_percent (chi-square); a mismatch means no result can be trusted'),
    insufficient_sample: z.boolean(),
    sample_size: z
      .object({
        metric: z.string(),
        unit: z.enum(['impressions', 'users']),
        baseline_rate: z.number(),
        minimum_detectable_effect: z.object({ kind: z.string(), value: z.number() }),
        alpha: z.number(),
        power: z.number(),
        per_variant: z.number(),
        progress: z.number(),
      })
      .nullable(),
    warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  }),
) {}
