import {
  IngestionReports,
  checkIngestionReport,
  checkIngestionReportQuery,
  ingestionReportExpiry,
  type IngestionReport,
  type IngestionReportQuery,
} from '@lemo/domain';
import type { Connection } from 'mongoose';
import { toDomainError } from '../connection/mongo-errors';
import { StoredCollection, byId, type CollectionSpec, type StoredFilter } from '../connection/stored-collection';

const REPORTS: CollectionSpec = {
  name: 'ingestion_reports',
  entity: 'ingestion report',
  // recent(): one tenant's reports, newest window first.
  indexes: [[{ tenant_id: 1, window_end: -1 }, {}]],
  derivedFields: ['_expires_at'],
};

/** Server code of an option the server does not implement (FerretDB v1 and `expireAfterSeconds`). */
const NOT_IMPLEMENTED = 238;

/** Where the server cannot expire documents itself, expired reports are deleted at most this often (by the next write). */
const PRUNE_EVERY_MS = 10 * 60_000;

/** One key per (tenant, source, instance, window_start): recording a window again replaces it. */
const keyOf = (report: IngestionReport): StoredFilter => byId(`${report.tenant_id}|${report.source}|${report.instance}|${report.window_start}`);

/**
 * Ingestion reports in the `ingestion_reports` collection, each stored under a
 * key `_id` (a replace by `_id` is the one filter FerretDB pushes down) with
 * `_expires_at` (window end + retention, a Date). A TTL index on it lets
 * MongoDB remove expired reports; FerretDB v1 refuses TTL indexes (code 238),
 * so there the next write deletes them. Reads leave expired reports out
 * either way (MongoDB's TTL monitor runs once a minute).
 */
export class MongoIngestionReports extends IngestionReports {
  private readonly reports: StoredCollection<IngestionReport>;
  /** False once the server refused the TTL index: expired reports are then pruned here. */
  private serverExpires = true;
  private lastPrune = 0;

  constructor(private readonly connection: Connection) {
    super();
    this.reports = new StoredCollection<IngestionReport>(connection, REPORTS, (report) => ({ _expires_at: new Date(ingestionReportExpiry(report)) }));
  }

  /** The TTL index (the schema's own index is created with every collection's); a server without TTL indexes is noted, not fatal. */
  async ensureIndexes(): Promise<void> {
    try {
      await this.connection.collection(REPORTS.name).createIndex({ _expires_at: 1 }, { name: 'ingestion_reports_ttl', expireAfterSeconds: 0 });
      this.serverExpires = true;
    } catch (error) {
      if ((error as { code?: unknown }).code !== NOT_IMPLEMENTED) throw toDomainError(error);
      this.serverExpires = false;
    }
  }

  async record(report: IngestionReport): Promise<void> {
    const checked = checkIngestionReport(report);
    await this.prune();
    await this.reports.upsertOne(keyOf(checked), checked);
  }

  async recent(tenantId: string, query: IngestionReportQuery): Promise<IngestionReport[]> {
    const { source, limit } = checkIngestionReportQuery(tenantId, query);
    const filter: StoredFilter = { tenant_id: tenantId, _expires_at: { $gt: new Date() } };
    if (source !== undefined) filter.source = source;
    return this.reports.find(filter, { sort: { window_end: -1, window_start: -1, instance: 1 }, limit });
  }

  private async prune(): Promise<void> {
    const now = Date.now();
    if (this.serverExpires || now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await this.reports.deleteMany({ _expires_at: { $lte: new Date(now) } });
  }
}
