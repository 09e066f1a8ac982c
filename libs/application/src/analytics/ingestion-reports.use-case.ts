import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { INGESTION_SOURCES, IngestionReports, MAX_INGESTION_REPORTS, type IngestionReport, type IngestionSource } from '@lemo/domain';

export const ingestionReportsQuerySchema = z
  .object({
    /** Only this ingestion path; every one when absent. */
    source: z.enum(INGESTION_SOURCES, { error: `source must be one of: ${INGESTION_SOURCES.join(', ')}` }).optional(),
    limit: z.coerce
      .number({ error: 'limit must be a number' })
      .int('limit must be an integer')
      .min(1, 'limit must be at least 1')
      .max(MAX_INGESTION_REPORTS, `limit must be at most ${MAX_INGESTION_REPORTS}`)
      .default(20),
  })
  .strict();
export type IngestionReportsQuery = z.infer<typeof ingestionReportsQuerySchema>;

export interface IngestionReportsView {
  source: IngestionSource | null;
  /** Newest window first. */
  reports: IngestionReport[];
}

/**
 * The tenant's recent ingestion throughput reports, as the ingestion paths
 * (the consumer app's item events) write them to the document store: one per
 * process and window (ITEM_EVENTS_REPORT_INTERVAL_MS), kept 30 days.
 */
@Injectable()
export class IngestionReportsUseCase {
  constructor(private readonly reports: IngestionReports) {}

  async recent(tenantId: string, query: IngestionReportsQuery): Promise<IngestionReportsView> {
    const reports = await this.reports.recent(tenantId, { ...(query.source !== undefined && { source: query.source }), limit: query.limit });
    return { source: query.source ?? null, reports };
  }
}
