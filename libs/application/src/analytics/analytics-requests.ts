import { z } from 'zod';
import { ACTION_TYPE_NAMES, MAX_TOP_ITEMS, METADATA_FIELD_PATTERN, TREND_GRANULARITIES } from '@lemo/domain';

/** Without `from`, queries cover this much time before `to`. */
export const DEFAULT_RANGE_MS = 7 * 24 * 3600 * 1000;

const unixMs = (field: string) => z.coerce.number({ error: `${field} must be unix milliseconds` }).int(`${field} must be unix milliseconds (an integer)`).nonnegative();
const ACTION_NAMES: ReadonlySet<string> = new Set(ACTION_TYPE_NAMES);
/** `?actions=click,like` in a query string: comma-separated action types (split by `splitActions`). */
const actionList = z
  .string()
  .max(1024)
  .refine((value) => splitActions(value).every((action) => ACTION_NAMES.has(action)), {
    message: `must be comma-separated action types, each one of: ${ACTION_TYPE_NAMES.join(', ')}`,
  });

export function splitActions(value: string): string[] {
  return [...new Set(value.split(',').map((part) => part.trim()).filter(Boolean))];
}

/**
 * A time range in the query string: `from` and `to` in unix ms, [from, to).
 * `to` defaults to now and `from` to a week before `to`.
 */
const rangeFields = {
  from: unixMs('from').optional(),
  to: unixMs('to').optional(),
  scenario_id: z.string().min(1).max(128).optional(),
};

export const dashboardQuerySchema = z.object(rangeFields).strict();
export type DashboardQuery = z.infer<typeof dashboardQuerySchema>;

export const trendQuerySchema = z
  .object({ ...rangeFields, granularity: z.enum(TREND_GRANULARITIES).default('hour'), actions: actionList.optional() })
  .strict();
export type TrendQuery = z.infer<typeof trendQuerySchema>;

export const topItemsQuerySchema = z
  .object({
    ...rangeFields,
    scenario_id: z.string().min(1).max(128),
    actions: actionList.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_TOP_ITEMS).default(20),
  })
  .strict();
export type TopItemsQuery = z.infer<typeof topItemsQuerySchema>;

export const DEFAULT_FUNNEL_STEPS = ['impression', 'click', 'add_cart', 'order', 'purchase'] as const;

export const funnelQuerySchema = z
  .object({ ...rangeFields, steps: actionList.optional() })
  .strict();
export type FunnelQuery = z.infer<typeof funnelQuerySchema>;

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const exportQuerySchema = z
  .object({ ...rangeFields, scenario_id: z.string().min(1).max(128), format: z.enum(EXPORT_FORMATS).default('jsonl') })
  .strict();
export type ExportQuery = z.infer<typeof exportQuerySchema>;

/** The most values an item distribution lists (the rest are summed in `other`). */
export const MAX_DISTRIBUTION_VALUES = 1000;

/** Items of a scenario per value of one metadata field (category, tags, author, price with `bucket_width`…). */
export const itemDistributionQuerySchema = z
  .object({
    scenario_id: z.string().min(1).max(128),
    field: z
      .string()
      .regex(METADATA_FIELD_PATTERN, 'field must be a metadata key: a letter or _, then letters, digits or _ (at most 64), e.g. category, tags, author, price'),
    bucket_width: z.coerce.number().positive('bucket_width must be a positive number').finite().optional(),
    limit: z.coerce.number().int().min(1).max(MAX_DISTRIBUTION_VALUES).default(100),
  })
  .strict();
export type ItemDistributionQuery = z.infer<typeof itemDistributionQuerySchema>;
