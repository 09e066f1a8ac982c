/** A shared cache of JSON values. Keys always start with the tenant id (see cacheKey). */
export abstract class Cache {
  abstract get<T>(key: string): Promise<T | null>;
  abstract set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  abstract delete(key: string): Promise<void>;
  /** Removes every key starting with the prefix, e.g. all of one tenant's recommendation pages. */
  abstract deleteByPrefix(prefix: string): Promise<number>;
}

export const cacheKey = (tenantId: string, ...parts: string[]): string => ['lemo', tenantId, ...parts].join(':');
