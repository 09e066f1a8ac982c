import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import { realtimeMetricsQuerySchema } from '@lemo/application';

export class RealtimeQueryDto extends createZodDto(realtimeMetricsQuerySchema) {}

const counts = z.object({
  impressions: z.number().int(),
  clicks: z.number().int(),
  conversions: z.number().int().describe('events of conversion_action'),
  events: z.number().int(),
  ctr: z.number().nullable().describe('clicks / impressions; null without impressions'),
});

export class RealtimeDto extends createZodDto(
  z.object({
    scenario_id: z.string().nullable(),
    minutes: z.number().int(),
    conversion_action: z.string(),
    range: z.object({ from: z.number().int(), to: z.number().int() }).describe('unix ms, [from, to): whole minutes, the last one still running'),
    totals: counts,
    experiment_groups: z.array(counts.extend({ experiment_id: z.string(), experiment_group: z.string() })).describe('events without an experiment are left out'),
    series: z.array(counts.extend({ minute_start: z.number().int() })).describe('one entry per minute, oldest first'),
  }),
) {}
