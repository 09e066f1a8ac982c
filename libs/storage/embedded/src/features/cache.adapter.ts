import { Cache } from '@lemo/domain';

export interface CacheOptions {
  /** Least recently used entries are evicted beyond this many. */
  maxEntries: number;
}

export const DEFAULT_CACHE_OPTIONS: CacheOptions = { maxEntries: 100_000 };

interface Entry {
  /** JSON text: callers get a fresh copy, as from Redis, and cannot mutate what is cached. */
  json: string;
  expiresAt: number;
}

/**
 * An in-process cache with TTLs and an LRU bound. A Map iterates in insertion
 * order, so re-inserting on every hit keeps the least recently used entry first.
 */
export class InMemoryCache extends Cache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: CacheOptions = DEFAULT_CACHE_OPTIONS) {
    super();
  }

  async get<T>(key: string): Promise<T | null> {
    const entry = this.entries.get(key);
    if (!entry) return null;
    this.entries.delete(key);
    if (entry.expiresAt <= Date.now()) return null;
    this.entries.set(key, entry);
    return JSON.parse(entry.json) as T;
  }

  /** A ttl of 0 or less keeps the entry until it is evicted or deleted. */
  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { json: JSON.stringify(value ?? null), expiresAt: ttlSeconds > 0 ? Date.now() + ttlSeconds * 1000 : Number.POSITIVE_INFINITY });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  /** A literal prefix: no pattern characters, so 'lemo:t1:' never touches 'lemo:t10:'. */
  async deleteByPrefix(prefix: string): Promise<number> {
    let removed = 0;
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      if (!key.startsWith(prefix)) continue;
      this.entries.delete(key);
      if (entry.expiresAt > now) removed += 1;
    }
    return removed;
  }

  /** Expired entries met on the way are dropped (they would otherwise stay until touched or evicted). */
  async *keys(prefix: string, pageSize: number): AsyncIterable<string[]> {
    const size = Math.max(1, Math.floor(pageSize));
    let page: string[] = [];
    const now = Date.now();
    for (const [key, entry] of [...this.entries]) {
      if (!key.startsWith(prefix)) continue;
      if (entry.expiresAt <= now) {
        if (this.entries.get(key) === entry) this.entries.delete(key);
        continue;
      }
      page.push(key);
      if (page.length >= size) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }

  /** Entries currently held, expired ones included until touched. */
  get size(): number {
    return this.entries.size;
  }
}
