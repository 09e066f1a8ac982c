import { Cache, DomainError } from '@lemo/domain';
import type { Redis } from 'ioredis';
import { guarded } from './redis-errors';
import type { RedisKeyspace } from './redis-keys';
import { unlinkMatching } from './scan-unlink';

/**
 * JSON values in Redis strings with a TTL. Keys must name their tenant
 * (`lemo:{tenant_id}:…`, see cacheKey); they are stored under the tenant's
 * `cache` segment so that deleting a cache prefix never reaches feature keys.
 */
export class RedisCache extends Cache {
  constructor(
    private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
    private readonly scanCount: number,
  ) {
    super();
  }

  get<T>(key: string): Promise<T | null> {
    return guarded(async () => {
      const json = await this.redis.get(this.entry(key));
      return json === null ? null : (JSON.parse(json) as T);
    });
  }

  /** A ttl of 0 or less keeps the value until it is deleted (as the embedded cache does). */
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    return guarded(async () => {
      const json = JSON.stringify(value ?? null);
      const entry = this.entry(key);
      if (ttlSeconds > 0) await this.redis.set(entry, json, 'PX', Math.max(1, Math.round(ttlSeconds * 1000)));
      else await this.redis.set(entry, json);
    });
  }

  delete(key: string): Promise<void> {
    return guarded(async () => {
      await this.redis.unlink(this.entry(key));
    });
  }

  /** A literal prefix: 'lemo:t1:' never touches 'lemo:t10:', and '*' or '[' match only themselves. */
  deleteByPrefix(prefix: string): Promise<number> {
    return guarded(() => {
      const scan = this.keyspace.cacheScan(prefix);
      return unlinkMatching(this.redis, scan.pattern, this.scanCount, scan.accepts);
    });
  }

  /** SCAN pages (COUNT scanCount) mapped back to domain keys; Redis drops expired keys itself. */
  async *keys(prefix: string, pageSize: number): AsyncIterable<string[]> {
    const scan = this.keyspace.cacheScan(prefix);
    let cursor = '0';
    do {
      const [next, found] = await guarded(() => this.redis.scan(cursor, 'MATCH', scan.pattern, 'COUNT', Math.max(1, Math.floor(pageSize))));
      cursor = next;
      const page = found.filter(scan.accepts).flatMap((key) => this.keyspace.domainKey(key) ?? []);
      if (page.length > 0) yield page;
    } while (cursor !== '0');
  }

  private entry(key: string): string {
    const entry = this.keyspace.cacheEntry(key);
    if (entry === null) throw DomainError.invalid('key', `cache keys start with 'lemo:{tenant_id}:' (cacheKey), got '${key}'`);
    return entry;
  }
}
