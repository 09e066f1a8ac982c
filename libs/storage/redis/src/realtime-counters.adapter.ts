import { DomainError, RealtimeCounters, type BucketCounts, type CounterIncrement } from '@lemo/domain';
import type { ClientContext, Redis, Result } from 'ioredis';
import { guarded } from './redis-errors';
import type { RedisKeyspace } from './redis-keys';

declare module 'ioredis' {
  interface RedisCommander<Context extends ClientContext = { type: 'default' }> {
    /** ADD_COUNTS_LUA, sent as EVALSHA by ioredis (loaded on first use). */
    lemoAddCounts(countsKey: string, eventsKey: string, ...args: Array<string | number>): Result<number, Context>;
  }
}

/**
 * KEYS: the bucket's counts hash and its counted-event set. ARGV: ttl in ms,
 * then (event id, field, by) triples. An event counts only if SADD added its
 * id, in the same atomic script as the HINCRBY: a redelivered event, or a
 * retry of a script whose reply was lost, adds nothing. Both keys expire with
 * the bucket.
 */
const ADD_COUNTS_LUA = `
local added = 0
for i = 2, #ARGV, 3 do
  if redis.call('SADD', KEYS[2], ARGV[i]) == 1 then
    redis.call('HINCRBY', KEYS[1], ARGV[i + 1], ARGV[i + 2])
    added = added + 1
  end
end
if added > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  redis.call('PEXPIRE', KEYS[2], ARGV[1])
end
return added
`;

/**
 * Real-time counters in Redis: per (tenant, series, bucket) a hash of counts
 * and a set of the event ids counted, both expiring with the bucket. One
 * round trip per call (a pipeline of one script per bucket; HGETALLs to read).
 */
export class RedisRealtimeCounters extends RealtimeCounters {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeyspace,
  ) {
    super();
    redis.defineCommand('lemoAddCounts', { numberOfKeys: 2, lua: ADD_COUNTS_LUA });
  }

  add(tenantId: string, series: string, increments: readonly CounterIncrement[], ttlSeconds: number, now: number): Promise<number> {
    if (!(ttlSeconds > 0)) return Promise.reject(DomainError.invalid('ttlSeconds', 'must be positive'));
    const bad = increments.find((i) => !Number.isSafeInteger(i.bucket) || !(i.by === undefined || (Number.isSafeInteger(i.by) && i.by > 0)));
    if (bad) return Promise.reject(DomainError.invalid('increments', `bucket must be unix ms and by a positive integer (event '${bad.eventId}')`));
    const byBucket = new Map<number, Array<string | number>>();
    for (const { eventId, bucket, field, by = 1 } of increments) {
      if (bucket + ttlSeconds * 1000 <= now) continue;
      const args = byBucket.get(bucket) ?? [];
      args.push(eventId, field, by);
      byBucket.set(bucket, args);
    }
    if (byBucket.size === 0) return Promise.resolve(0);
    return guarded(async () => {
      const pipeline = this.redis.pipeline();
      for (const [bucket, args] of byBucket) {
        const ttlMs = bucket + ttlSeconds * 1000 - now;
        pipeline.lemoAddCounts(this.keys.counterBucket(tenantId, series, bucket), this.keys.counterEvents(tenantId, series, bucket), ttlMs, ...args);
      }
      let added = 0;
      for (const [error, value] of (await pipeline.exec()) ?? []) {
        if (error) throw error;
        added += Number(value);
      }
      return added;
    });
  }

  read(tenantId: string, series: string, buckets: readonly number[]): Promise<Map<number, BucketCounts>> {
    return guarded(async () => {
      const result = new Map<number, BucketCounts>();
      if (buckets.length === 0) return result;
      const pipeline = this.redis.pipeline();
      for (const bucket of buckets) pipeline.hgetall(this.keys.counterBucket(tenantId, series, bucket));
      const replies = (await pipeline.exec()) ?? [];
      replies.forEach(([error, value], i) => {
        if (error) throw error;
        const hash = value as Record<string, string>;
        const fields = Object.entries(hash);
        if (fields.length > 0) result.set(buckets[i], Object.fromEntries(fields.map(([field, count]) => [field, Number(count)])));
      });
      return result;
    });
  }
}
