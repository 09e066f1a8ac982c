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

  private key(tenantId: string, kind: string, ...ids: string[]): string {
    return [`${this.prefix}lemo`, escapeId(tenantId), kind, ...ids.map(escapeId)].join(':');
  }
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
