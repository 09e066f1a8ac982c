/** A shared cache of JSON values. Keys always start with the tenant id (see cacheKey). */
export abstract class Cache {
  abstract get<T>(key: string): Promise<T | null>;
  abstract set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  abstract delete(key: string): Promise<void>;
  /** Removes every key starting with the prefix, e.g. all of one tenant's recommendation pages. */
  abstract deleteByPrefix(prefix: string): Promise<number>;
  /**
   * The live keys starting with the prefix (literal, as for deleteByPrefix), a
   * page of about `pageSize` at a time, for maintenance (the cache cleanup job)
   * and never the serving path. Expired entries are not listed; an adapter that
   * holds them until touched drops them on the way. A key may be listed twice.
   */
  abstract keys(prefix: string, pageSize: number): AsyncIterable<string[]>;
}

export const cacheKey = (tenantId: string, ...parts: string[]): string => ['lemo', tenantId, ...parts].join(':');
