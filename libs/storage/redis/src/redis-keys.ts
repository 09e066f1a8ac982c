/**
 * The key layout (README, "Key layout"). Every key is
 * `{keyPrefix}lemo:{tenant_id}:{kind}:{ids…}`; the kind segment keeps the
 * cache and each feature apart, so clearing a tenant's cache never touches
 * its hot scores. Ids may contain ':' (the domain alphabet allows it), so
 * each id is escaped (':' → '%3A', '%' → '%25') and a key names one thing only.
 */
export const escapeId = (id: string): string => id.replace(/[%:]/g, (c) => (c === '%' ? '%25' : '%3A'));

/** Glob metacharacters of SCAN MATCH, escaped so that a prefix is matched literally. */
export const escapeGlob = (text: string): string => text.replace(/[*?[\]\\]/g, '\\$&');

/** A domain cache key, `lemo:{tenant_id}:{rest}` (cacheKey): the tenant and the rest. */
const CACHE_KEY = /^lemo:([^:]+):([\s\S]*)$/;
const CACHE_KIND = 'cache';
const CACHE_ENTRY = /^lemo:([^:]+):cache:([\s\S]*)$/;
/** Feature kinds whose first id is the scenario. */
const SCENARIO_KINDS = ['hot', 'hotref', 'nbr'];

const unescapeId = (id: string): string => id.replace(/%3A|%25/g, (c) => (c === '%3A' ? ':' : '%'));

export interface CacheScan {
  /** SCAN MATCH pattern covering every candidate. */
  pattern: string;
  /** Whether a key SCAN returned is a cache entry whose domain key starts with the prefix. */
  accepts(redisKey: string): boolean;
}

export class RedisKeyspace {
  constructor(readonly prefix: string) {}

  hotScores(tenantId: string, scenarioId: string): string {
    return this.key(tenantId, 'hot', scenarioId);
  }

  /** Hash { ref, hl }: the reference time and half-life the hot scores are stored against. */
  hotReference(tenantId: string, scenarioId: string): string {
    return this.key(tenantId, 'hotref', scenarioId);
  }

  recent(tenantId: string, userId: string): string {
    return this.key(tenantId, 'recent', userId);
  }

  neighbours(tenantId: string, scenarioId: string, itemId: string): string {
    return this.key(tenantId, 'nbr', scenarioId, itemId);
  }

  /** Hash field → count of one bucket of a real-time counter series (bucket: unix ms). */
  counterBucket(tenantId: string, series: string, bucket: number): string {
    return this.key(tenantId, 'rtc', series, String(bucket));
  }

  /** Set of the event ids counted in that bucket, so a redelivered event is not counted again. */
  counterEvents(tenantId: string, series: string, bucket: number): string {
    return this.key(tenantId, 'rtcid', series, String(bucket));
  }

  /** Where a domain cache key lives: `lemo:acme:rec:u1` → `{prefix}lemo:acme:cache:rec:u1`. Null when it names no tenant. */
  cacheEntry(domainKey: string): string | null {
    const match = CACHE_KEY.exec(domainKey);
    return match ? `${this.prefix}lemo:${match[1]}:${CACHE_KIND}:${match[2]}` : null;
  }

  /**
   * The cache entries whose domain key starts with `prefix`. A prefix that
   * names a tenant maps to one exact pattern; a shorter one (`lemo:`, '')
   * scans wider and keeps cache entries only.
   */
  cacheScan(prefix: string): CacheScan {
    const exact = this.cacheEntry(prefix);
    if (exact !== null) return { pattern: `${escapeGlob(exact)}*`, accepts: () => true };
    const entry = new RegExp(`^${escapeRegExp(this.prefix)}lemo:([^:]+):${CACHE_KIND}:([\\s\\S]*)$`);
    return {
      pattern: `${escapeGlob(this.prefix + prefix)}*`,
      accepts: (redisKey) => {
        const match = entry.exec(redisKey);
        return match !== null && `lemo:${match[1]}:${match[2]}`.startsWith(prefix);
      },
    };
  }

  /** The domain cache key a cache entry stores (the inverse of cacheEntry); null for any other key. */
  domainKey(redisKey: string): string | null {
    if (!redisKey.startsWith(this.prefix)) return null;
    const match = CACHE_ENTRY.exec(redisKey.slice(this.prefix.length));
    return match ? `lemo:${match[1]}:${match[2]}` : null;
  }

  /** SCAN MATCH patterns of every scenario-scoped feature key (hot scores, their reference, neighbour lists). */
  scenarioFeaturePatterns(): string[] {
    return SCENARIO_KINDS.map((kind) => `${escapeGlob(this.prefix)}lemo:*:${kind}:*`);
  }

  /** Tenant and scenario of a scenario-scoped feature key, ids unescaped; null for any other key. */
  scenarioOf(redisKey: string): { tenant_id: string; scenario_id: string } | null {
    if (!redisKey.startsWith(this.prefix)) return null;
    const [lemo, tenant, kind, scenario] = redisKey.slice(this.prefix.length).split(':');
    if (lemo !== 'lemo' || scenario === undefined || !SCENARIO_KINDS.includes(kind)) return null;
    return { tenant_id: unescapeId(tenant), scenario_id: unescapeId(scenario) };
  }

  /** Every neighbour list of one scenario: `{prefix}lemo:{t}:nbr:{scenario}:*`. */
  neighbourPattern(tenantId: string, scenarioId: string): string {
    return `${escapeGlob(this.key(tenantId, 'nbr', scenarioId))}:*`;
  }

  private key(tenantId: string, kind: string, ...ids: string[]): string {
    return [`${this.prefix}lemo`, escapeId(tenantId), kind, ...ids.map(escapeId)].join(':');
  }
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
