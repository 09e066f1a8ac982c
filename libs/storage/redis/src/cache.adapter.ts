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
    private readonly keys: RedisKeyspace,
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
      const scan = this.keys.cacheScan(prefix);
      return unlinkMatching(this.redis, scan.pattern, this.scanCount, scan.accepts);
    });
  }

  private entry(key: string): string {
    const entry = this.keys.cacheEntry(key);
    if (entry === null) throw DomainError.invalid('key', `cache keys start with 'lemo:{tenant_id}:' (cacheKey), got '${key}'`);
    return entry;
  }
}
