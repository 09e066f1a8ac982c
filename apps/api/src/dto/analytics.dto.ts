import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import { dashboardQuerySchema, exportQuerySchema, funnelQuerySchema, topItemsQuerySchema, trendQuerySchema } from '@lemo/application';
import { TREND_GRANULARITIES } from '@lemo/domain';

export class DashboardQueryDto extends createZodDto(dashboardQuerySchema) {}
export class TrendQueryDto extends createZodDto(trendQuerySchema) {}
export class TopItemsQueryDto extends createZodDto(topItemsQuerySchema) {}
export class FunnelQueryDto extends createZodDto(funnelQuerySchema) {}
export class ExportQueryDto extends createZodDto(exportQuerySchema) {}

const rangeSchema = z.object({ from: z.number().int(), to: z.number().int() }).describe('unix ms, [from, to)');
const actionStatSchema = z.object({ action_type: z.string(), events: z.number().int(), users: z.number().int() });

export class DashboardDto extends createZodDto(
  z.object({
    range: rangeSchema,
    scenario_id: z.string().nullable(),
    impressions: z.number().int(),
    clicks: z.number().int(),
    ctr: z.number().nullable(),
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
      .describe('POST /recommend latency of the answering process since it started, every tenant together'),
    recommendations_served: z
      .object({ scope: z.literal('process'), served: z.number().int(), cache_hit_rate: z.number().nullable() })
      .describe("First pages of recommendations the answering process served this tenant since it started, and the response-cache hit rate among them"),
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
