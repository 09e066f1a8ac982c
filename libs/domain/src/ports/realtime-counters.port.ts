/** One event's contribution to a time bucket of a counter series. */
export interface CounterIncrement {
  /** Each event id counts at most once per (tenant, series, bucket), however often it is added. */
  eventId: string;
  /** Start of the event's bucket, unix ms. */
  bucket: number;
  /** What is counted, e.g. `feed\x1fexp1\x1fcontrol\x1fclick`. */
  field: string;
  /** Positive integer; default 1. */
  by?: number;
}

/** The counts of one bucket by field. */
export type BucketCounts = Record<string, number>;

/**
 * Time-bucketed counters the stream jobs keep on the cache / feature store
 * backend (Redis on the cluster profile) for real-time dashboards. Adding is
 * idempotent per event id, so a redelivered batch of the bus never counts an
 * event twice; a bucket (counts and the ids it has seen) expires `ttlSeconds`
 * after its start, and increments of buckets already expired are ignored.
 */
export abstract class RealtimeCounters {
  /** Applies the increments of events not counted before; returns how many increments counted. */
  abstract add(tenantId: string, series: string, increments: readonly CounterIncrement[], ttlSeconds: number, now: number): Promise<number>;
  /** The counts of the given buckets (by bucket start); buckets without counts are absent. */
  abstract read(tenantId: string, series: string, buckets: readonly number[]): Promise<Map<number, BucketCounts>>;
}
