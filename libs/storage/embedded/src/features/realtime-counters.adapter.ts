import { DomainError, RealtimeCounters, type BucketCounts, type CounterIncrement } from '@lemo/domain';
import type { SqliteDatabase } from '../sqlite/sqlite-database';
import { guarded } from '../sqlite/sqlite-errors';

/** Expired rows are deleted at most this often (by the next write). */
const PRUNE_EVERY_MS = 60_000;

/**
 * Real-time counters in SQLite: one row per (tenant, series, bucket, field)
 * and one per event id counted in a bucket, so adding an event twice is a
 * no-op (INSERT OR IGNORE decides, in the same transaction as the count).
 */
export class SqliteRealtimeCounters extends RealtimeCounters {
  private lastPrune = 0;

  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  add(tenantId: string, series: string, increments: readonly CounterIncrement[], ttlSeconds: number, now: number): Promise<number> {
    if (!(ttlSeconds > 0)) return Promise.reject(DomainError.invalid('ttlSeconds', 'must be positive'));
    const bad = increments.find((i) => !Number.isSafeInteger(i.bucket) || !(i.by === undefined || (Number.isSafeInteger(i.by) && i.by > 0)));
    if (bad) return Promise.reject(DomainError.invalid('increments', `bucket must be unix ms and by a positive integer (event '${bad.eventId}')`));
    const live = increments.filter((i) => i.bucket + ttlSeconds * 1000 > now);
    if (live.length === 0) return Promise.resolve(0);
    return guarded(() =>
      this.db.write(() => {
        this.prune(now);
        const seen = this.db.statement('INSERT OR IGNORE INTO realtime_counted_events (tenant_id, series, bucket, event_id, expires_at) VALUES (?, ?, ?, ?, ?)');
        const count = this.db.statement(
          `INSERT INTO realtime_counts (tenant_id, series, bucket, field, count, expires_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (tenant_id, series, bucket, field) DO UPDATE SET count = count + excluded.count`,
        );
        let added = 0;
        for (const { eventId, bucket, field, by = 1 } of live) {
          const expiresAt = bucket + ttlSeconds * 1000;
          if (seen.run(tenantId, series, bucket, eventId, expiresAt).changes === 0) continue;
          count.run(tenantId, series, bucket, field, by, expiresAt);
          added += 1;
        }
        return added;
      }),
    );
  }

  read(tenantId: string, series: string, buckets: readonly number[]): Promise<Map<number, BucketCounts>> {
    return guarded(() => {
      const result = new Map<number, BucketCounts>();
      if (buckets.length === 0) return result;
      const rows = this.db
        .statement(
          `SELECT bucket, field, count FROM realtime_counts
           WHERE tenant_id = ? AND series = ? AND bucket IN (SELECT value FROM json_each(?)) AND expires_at > ?`,
        )
        .all(tenantId, series, JSON.stringify(buckets), Date.now()) as Array<{ bucket: number; field: string; count: number }>;
      for (const row of rows) {
        const counts = result.get(row.bucket) ?? {};
        counts[row.field] = row.count;
        result.set(row.bucket, counts);
      }
      return result;
    });
  }

  private prune(now: number): void {
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    this.db.statement('DELETE FROM realtime_counts WHERE expires_at <= ?').run(now);
    this.db.statement('DELETE FROM realtime_counted_events WHERE expires_at <= ?').run(now);
  }
}
