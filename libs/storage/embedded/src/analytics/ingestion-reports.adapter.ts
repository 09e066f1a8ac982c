import {
  IngestionReports,
  checkIngestionReport,
  checkIngestionReportQuery,
  ingestionReportExpiry,
  type IngestionReport,
  type IngestionReportQuery,
} from '@lemo/domain';
import { parseBodies } from '../documents/json-body';
import type { SqliteDatabase } from '../sqlite/sqlite-database';
import { guarded } from '../sqlite/sqlite-errors';

/** Expired reports are deleted at most this often (by the next write). */
const PRUNE_EVERY_MS = 60_000;

/**
 * Ingestion reports in SQLite: the report as JSON, keyed by (tenant, source,
 * instance, window_start), so recording a window again replaces it. Reads
 * leave expired reports out; writes delete them now and then.
 */
export class SqliteIngestionReports extends IngestionReports {
  private lastPrune = 0;

  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  record(report: IngestionReport): Promise<void> {
    return guarded(() => {
      const checked = checkIngestionReport(report);
      const now = Date.now();
      this.db.write(() => {
        this.prune(now);
        this.db
          .statement(
            `INSERT OR REPLACE INTO ingestion_reports (tenant_id, source, instance, window_start, window_end, expires_at, body)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            checked.tenant_id,
            checked.source,
            checked.instance,
            checked.window_start,
            checked.window_end,
            ingestionReportExpiry(checked),
            JSON.stringify(checked),
          );
      });
    });
  }

  recent(tenantId: string, query: IngestionReportQuery): Promise<IngestionReport[]> {
    return guarded(() => {
      const { source, limit } = checkIngestionReportQuery(tenantId, query);
      const rows = this.db
        .statement(
          `SELECT body FROM ingestion_reports
           WHERE tenant_id = ? AND (? IS NULL OR source = ?) AND expires_at > ?
           ORDER BY window_end DESC, window_start DESC, instance ASC LIMIT ?`,
        )
        .all(tenantId, source ?? null, source ?? null, Date.now(), limit) as Array<{ body: string }>;
      return parseBodies<IngestionReport>(rows);
    });
  }

  private prune(now: number): void {
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    this.db.statement('DELETE FROM ingestion_reports WHERE expires_at <= ?').run(now);
  }
}
