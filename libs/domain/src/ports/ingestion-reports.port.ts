import { z } from 'zod';
import { DomainError } from '../errors/domain-error';
import { tenantIdSchema } from '../shared/identifiers';
import { parseOrThrow } from '../shared/zod-issues';

/** Who ingests: the consumer app's item events today; other ingestion paths add their name here. */
export const INGESTION_SOURCES = ['item-events'] as const;
export type IngestionSource = (typeof INGESTION_SOURCES)[number];

/** Reports are kept this long after their window ended, then expire (never returned, then removed). */
export const INGESTION_REPORT_RETENTION_MS = 30 * 24 * 3_600_000;

/** The most reports one `recent` call returns. */
export const MAX_INGESTION_REPORTS = 500;

const count = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be an integer`)
    .min(0, `${what} must not be negative`);
const rate = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .min(0, `${what} must not be negative`)
    .finite(`${what} must be finite`);
const unixMs = (what: string) =>
  z
    .number({ error: `${what} must be unix ms` })
    .int(`${what} must be unix ms`)
    .min(0, `${what} must be unix ms`);

/**
 * What one process ingested for one tenant during one window: one report per
 * (tenant, source, instance, window), so a tenant only ever reads its own.
 * Rates are per second of the window (window_end − window_start).
 */
export const ingestionReportSchema = z
  .object({
    tenant_id: tenantIdSchema,
    source: z.enum(INGESTION_SOURCES, { error: `source must be one of: ${INGESTION_SOURCES.join(', ')}` }),
    /** The reporting process, `host:pid`. */
    instance: z.string().min(1, 'instance must not be empty').max(256, 'instance must be at most 256 characters'),
    window_start: unixMs('window_start'),
    window_end: unixMs('window_end'),
    /** Messages handled (applied, partly applied or dead-lettered) in batches that succeeded. */
    messages: count('messages'),
    /** Items created, updated or deleted. */
    items: count('items'),
    /** Messages sent to the dead-letter topic. */
    dead_letters: count('dead_letters'),
    /** Bus batches whose handling failed (delivered again; their messages count once, when they succeed). */
    failed_batches: count('failed_batches').optional(),
    messages_per_second: rate('messages_per_second'),
    items_per_second: rate('items_per_second'),
  })
  .strict()
  .refine((report) => report.window_end > report.window_start, { message: 'window_end must be after window_start', path: ['window_end'] });
export type IngestionReport = z.infer<typeof ingestionReportSchema>;

export interface IngestionReportQuery {
  /** Only this source; absent means every source. */
  source?: IngestionSource;
  /** 1..MAX_INGESTION_REPORTS. */
  limit: number;
}

/**
 * Throughput reports of the ingestion paths (the item-events consumer), kept
 * in the document store for INGESTION_REPORT_RETENTION_MS after their window
 * ended. Recording a report of the same (tenant, source, instance,
 * window_start) again replaces it, so a retried write never doubles a window.
 */
export abstract class IngestionReports {
  /** VALIDATION_FAILED naming the field for a malformed report. */
  abstract record(report: IngestionReport): Promise<void>;
  /** The tenant's reports, newest window_end first (ties: window_start newest first, then by instance); expired ones are left out. */
  abstract recent(tenantId: string, query: IngestionReportQuery): Promise<IngestionReport[]>;
}

/** The report as adapters store it, or VALIDATION_FAILED naming every bad field. */
export function checkIngestionReport(report: IngestionReport): IngestionReport {
  return parseOrThrow(ingestionReportSchema, report);
}

/** The query, or VALIDATION_FAILED naming the bad field. */
export function checkIngestionReportQuery(tenantId: string, query: IngestionReportQuery): IngestionReportQuery {
  parseOrThrow(tenantIdSchema, tenantId, 'tenant_id');
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_INGESTION_REPORTS) {
    throw DomainError.invalid('limit', `must be an integer from 1 to ${MAX_INGESTION_REPORTS}`);
  }
  if (query.source !== undefined && !(INGESTION_SOURCES as readonly string[]).includes(query.source)) {
    throw DomainError.invalid('source', `must be one of: ${INGESTION_SOURCES.join(', ')}`);
  }
  return query;
}

/** The time a report expires: its window's end plus the retention. */
export const ingestionReportExpiry = (report: Pick<IngestionReport, 'window_end'>): number => report.window_end + INGESTION_REPORT_RETENTION_MS;
