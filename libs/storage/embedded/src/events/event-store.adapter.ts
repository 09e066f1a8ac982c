import { DomainError, EventStore, type AppendedPage, type AppendResult, type BehaviorEvent, type EventQuery } from '@lemo/domain';
import type { SqliteDatabase } from '../sqlite/sqlite-database';
import { guarded } from '../sqlite/sqlite-errors';
import { countTenantRows } from '../sqlite/count-rows';
import { parseBodies, type BodyRow } from '../documents/json-body';

interface ScanRow extends BodyRow {
  timestamp: number;
  event_id: string;
}

interface AppendedRow extends BodyRow {
  seq: number;
}

export class SqliteEventStore extends EventStore {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  /** One transaction per call: a batch of 1000 costs one fsync-free WAL commit, not 1000. */
  append(events: readonly BehaviorEvent[]): Promise<AppendResult> {
    return guarded(() =>
      this.db.write(() => {
        const insert = this.db.statement('INSERT OR IGNORE INTO events (tenant_id, event_id, scenario_id, user_id, timestamp, body) VALUES (?, ?, ?, ?, ?, ?)');
        const result: AppendResult = { inserted: [], duplicates: [] };
        for (const event of events) {
          const { changes } = insert.run(event.tenant_id, event.event_id, event.scenario_id, event.user_id, event.timestamp, JSON.stringify(event));
          (changes > 0 ? result.inserted : result.duplicates).push(event.event_id);
        }
        return result;
      }),
    );
  }

  recentByUser(tenantId: string, userId: string, query: EventQuery): Promise<BehaviorEvent[]> {
    const conditions = ['tenant_id = ?', 'user_id = ?'];
    const params: unknown[] = [tenantId, userId];
    if (query.scenarioId !== undefined) {
      conditions.push('scenario_id = ?');
      params.push(query.scenarioId);
    }
    if (query.since !== undefined) {
      conditions.push('timestamp >= ?');
      params.push(query.since);
    }
    return guarded(() =>
      parseBodies<BehaviorEvent>(
        this.db
          .statement(`SELECT body FROM events WHERE ${conditions.join(' AND ')} ORDER BY timestamp DESC, rowid DESC LIMIT ?`)
          .all(...params, query.limit) as BodyRow[],
      ),
    );
  }

  /** Keyset paging on (timestamp, event_id): events sharing a timestamp are neither skipped nor repeated. */
  async *scan(tenantId: string, scenarioId: string, options: { since?: number; batchSize: number }): AsyncIterable<BehaviorEvent[]> {
    let after: ScanRow | undefined;
    for (;;) {
      const rows = await guarded(() => this.scanBatch(tenantId, scenarioId, options, after));
      if (rows.length > 0) yield parseBodies<BehaviorEvent>(rows);
      if (rows.length < options.batchSize) return;
      after = rows[rows.length - 1];
    }
  }

  /**
   * The cursor is the rowid: SQLite has one writer, and a new row's rowid is one
   * more than the largest, so rowids grow in commit order. The rowid range after
   * the cursor is read from the table itself (only rows appended since, of every
   * tenant), filtered to the scenario. A page shorter than the limit moves the
   * cursor to the largest rowid that existed before the read, past other
   * scenarios' rows too. (Deleting the newest rows, a GDPR delete, can let the
   * next insert reuse a rowid at or below a cursor: that event is missed until
   * the reader's next full pass.)
   */
  readAppended(tenantId: string, scenarioId: string, options: { after?: string; limit: number }): Promise<AppendedPage> {
    if (!Number.isInteger(options.limit) || options.limit < 1) return Promise.reject(DomainError.invalid('limit', 'must be a positive integer'));
    const after = options.after === undefined ? 0 : Number(options.after);
    if (!Number.isSafeInteger(after) || after < 0) return Promise.reject(DomainError.invalid('after', 'is not a cursor of this event store'));
    return guarded(() => {
      const end = (this.db.statement('SELECT COALESCE(MAX(rowid), 0) AS seq FROM events').get() as { seq: number }).seq;
      const rows = this.db
        // NOT INDEXED: without it the planner takes the (tenant, scenario) index, scanning and sorting the whole scenario per page.
        .statement(
          'SELECT rowid AS seq, body FROM events NOT INDEXED WHERE rowid > ? AND rowid <= ? AND tenant_id = ? AND scenario_id = ? ORDER BY rowid LIMIT ?',
        )
        .all(after, end, tenantId, scenarioId, options.limit) as AppendedRow[];
      const cursor = rows.length === options.limit ? rows[rows.length - 1].seq : Math.max(after, end);
      return { events: parseBodies<BehaviorEvent>(rows), cursor: String(cursor) };
    });
  }

  deleteByUser(tenantId: string, userId: string): Promise<number> {
    return guarded(() => this.db.statement('DELETE FROM events WHERE tenant_id = ? AND user_id = ?').run(tenantId, userId).changes);
  }

  count(tenantId: string, scenarioId?: string): Promise<number> {
    return guarded(() => countTenantRows(this.db, 'events', tenantId, scenarioId));
  }

  private scanBatch(tenantId: string, scenarioId: string, options: { since?: number; batchSize: number }, after: ScanRow | undefined): ScanRow[] {
    const columns = 'SELECT body, timestamp, event_id FROM events WHERE tenant_id = ? AND scenario_id = ?';
    if (!after) {
      return this.db
        .statement(`${columns} AND timestamp >= ? ORDER BY timestamp, event_id LIMIT ?`)
        .all(tenantId, scenarioId, options.since ?? Number.MIN_SAFE_INTEGER, options.batchSize) as ScanRow[];
    }
    return this.db
      .statement(`${columns} AND (timestamp > ? OR (timestamp = ? AND event_id > ?)) ORDER BY timestamp, event_id LIMIT ?`)
      .all(tenantId, scenarioId, after.timestamp, after.timestamp, after.event_id, options.batchSize) as ScanRow[];
  }
}
