import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import { dashboardQuerySchema, exportQuerySchema, funnelQuerySchema, itemDistributionQuerySchema, topItemsQuerySchema, trendQuerySchema } from '@lemo/application';
import { TREND_GRANULARITIES } from '@lemo/domain';

export class DashboardQueryDto extends createZodDto(dashboardQuerySchema) {}
export class TrendQueryDto extends createZodDto(trendQuerySchema) {}
export class TopItemsQueryDto extends createZodDto(topItemsQuerySchema) {}
export class FunnelQueryDto extends createZodDto(funnelQuerySchema) {}
export class ExportQueryDto extends createZodDto(exportQuerySchema) {}
export class ItemDistributionQueryDto extends createZodDto(itemDistributionQuerySchema) {}

const rangeSchema = z.object({ from: z.number().int(), to: z.number().int() }).describe('unix ms, [from, to)');
const actionStatSchema = z.object({ action_type: z.string(), events: z.number().int(), users: z.number().int() });

export class DashboardDto extends createZodDto(
  z.object({
    range: rangeSchema,
    scenario_id: z.string().nullable(),
    impressions: z.number().int(),
    clicks: z.number().int(),
    ctr: z.number().nullable(),
    active_users: z.number().int().describe('distinct users with at least one event of any action in the range (of the scenario when given), from the analytics store'),
    impression_users: z.number().int().describe('distinct users with at least one impression in the range'),
    click_users: z.number().int().describe('distinct users with at least one click in the range'),
    actions: z.array(actionStatSchema),
    events: z.number().int(),
    items: z.number().int().describe('items in the catalogue now'),
    users: z.number().int().describe('users with a stored profile now'),
    serving_latency: z
      .object({
        scope: z.literal('process'),
        requests: z.number(),
        mean_ms: z.number().nullable(),
        p50_ms: z.number().nullable(),
        p95_ms: z.number().nullable(),
        p99_ms: z.number().nullable(),
      })
      .describe(
        'NOT tenant-wide and NOT limited to the range: the latency of POST /api/v1/recommend as measured by the one process answering this request ' +
          '(its Prometheus histogram http_request_duration_seconds, every tenant and every response status together, since that process started; ' +
          'gRPC GetRecommendations calls are not included). p50/p95/p99 are interpolated inside the histogram buckets (1 ms … 2.5 s), as PromQL histogram_quantile does. ' +
          'Behind a load balancer each replica answers with its own figures, and a restart resets them: for fleet-wide latency query Prometheus, which scrapes every replica.',
      ),
    recommendations_served: z
      .object({ scope: z.literal('process'), served: z.number().int(), cache_hit_rate: z.number().nullable() })
      .describe(
        'NOT tenant-wide across processes and NOT limited to the range: first pages of recommendations (requests without a cursor) that the one process answering ' +
          'this request served to this tenant since it started, over REST and gRPC, from its counter lemo_recommendations_served_total{tenant,scenario,source}; ' +
          'cache_hit_rate is the share of them answered from the response cache (null before the first). Sum lemo_recommendations_served_total over every replica in ' +
          'Prometheus for the tenant-wide figure.',
      ),
  }),
) {}

export class TrendDto extends createZodDto(
  z.object({
    range: rangeSchema,
    granularity: z.enum(TREND_GRANULARITIES),
    buckets: z.array(z.object({ bucket_start: z.number().int(), events: z.number().int(), impressions: z.number().int(), clicks: z.number().int(), ctr: z.number().nullable() })),
    points: z.array(actionStatSchema.extend({ bucket_start: z.number().int() })),
  }),
) {}

export class TopItemsDto extends createZodDto(
  z.object({ range: rangeSchema, scenario_id: z.string(), items: z.array(z.object({ item_id: z.string(), events: z.number().int(), users: z.number().int() })) }),
) {}

export class FunnelDto extends createZodDto(
  z.object({
    range: rangeSchema,
    scenario_id: z.string().nullable(),
    steps: z.array(actionStatSchema.extend({ rate_from_previous: z.number().nullable(), rate_from_first: z.number().nullable() })),
  }),
) {}

export class ItemDistributionDto extends createZodDto(
  z.object({
    scenario_id: z.string(),
    field: z.string(),
    bucket_width: z.number().nullable().describe('numbers were counted per bucket [k·w, (k+1)·w) when given'),
    items: z.number().int().describe("the scenario's items counted (every status but deleted), now"),
    items_with_value: z.number().int(),
    items_without_value: z.number().int().describe('items whose field is absent, null or an object'),
    distinct_values: z.number().int().describe('values found; `distribution` lists the first `limit` of them'),
    distribution: z
      .array(
        z.object({
          label: z.string().describe('the value as text; a bucket reads `[10, 20)`'),
          value: z.union([z.string(), z.number(), z.boolean()]).describe("the value itself; a bucket's lower bound"),
          type: z.enum(['string', 'number', 'boolean', 'bucket']),
          items: z.number().int().describe('items with this value (an array field counts an item once per distinct element)'),
          percentage: z.number().describe("items / the scenario's items × 100; array fields can add up to more than 100"),
        }),
      )
      .describe('most items first; ties by type (boolean, number, string), then by value'),
  }),
) {}
