import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import { ingestionReportsQuerySchema } from '@lemo/application';
import { INGESTION_SOURCES } from '@lemo/domain';

export class IngestionQueryDto extends createZodDto(ingestionReportsQuerySchema) {}

const reportSchema = z.object({
  tenant_id: z.string(),
  source: z.enum(INGESTION_SOURCES),
  instance: z.string().describe('the reporting process, host:pid'),
  window_start: z.number().int().describe('unix ms'),
  window_end: z.number().int().describe('unix ms; the window is [window_start, window_end)'),
  messages: z.number().int().describe('messages handled in batches that succeeded (applied, partly applied or dead-lettered); a redelivered batch counts once'),
  items: z.number().int().describe('items created, updated or deleted'),
  dead_letters: z.number().int().describe('messages sent to the dead-letter topic'),
  failed_batches: z.number().int().optional().describe('bus batches that failed and were delivered again'),
  messages_per_second: z.number().describe('messages / window seconds'),
  items_per_second: z.number().describe('items / window seconds'),
});

export class IngestionReportsDto extends createZodDto(
  z.object({
    source: z.enum(INGESTION_SOURCES).nullable().describe('the source asked for; null for every source'),
    reports: z.array(reportSchema).describe('newest window first; one per tenant, reporting process and window; kept 30 days'),
  }),
) {}
