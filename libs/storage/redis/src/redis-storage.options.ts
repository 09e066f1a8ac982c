import { DomainError } from '@lemo/domain';

export interface RedisStorageOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` for TLS. */
  url: string;
  /**
   * Prepended to every key (default none, so keys start with `lemo:{tenant_id}:`).
   * Lets test runs or several deployments share one server without meeting.
   */
  keyPrefix?: string;
  /** Hot-score sorted sets keep only this many best items per tenant and scenario (default 10,000). */
  hotMaxItems?: number;
  /** A scenario's hot scores expire after this many half-lives without a new event (default 64: all below 2^-64). */
  hotIdleHalfLives?: number;
  /** A user's recent interactions expire this long after the last push (default 30 days). */
  recentTtlSeconds?: number;
  /** Neighbour lists expire this long after the similarity job last wrote them (default 7 days; 0 keeps them). */
  neighbourTtlSeconds?: number;
  /** Keys asked for per SCAN step in deleteByPrefix, and so unlinked per batch (default 500). */
  scanCount?: number;
  /** A command that gets no reply within this time fails as UNAVAILABLE (default 5 s). */
  commandTimeoutMs?: number;
}

export type ResolvedRedisOptions = Required<RedisStorageOptions>;

const DAY_SECONDS = 24 * 3600;

export const DEFAULT_REDIS_OPTIONS: Omit<ResolvedRedisOptions, 'url'> = {
  keyPrefix: '',
  hotMaxItems: 10_000,
  hotIdleHalfLives: 64,
  recentTtlSeconds: 30 * DAY_SECONDS,
  neighbourTtlSeconds: 7 * DAY_SECONDS,
  scanCount: 500,
  commandTimeoutMs: 5000,
};

export const REDIS_STORAGE_OPTIONS = Symbol('REDIS_STORAGE_OPTIONS');

const positiveInteger = (value: number): boolean => Number.isInteger(value) && value > 0;

/** Fills in the defaults and rejects what cannot work, as VALIDATION_FAILED naming the option. */
export function resolveOptions(options: RedisStorageOptions): ResolvedRedisOptions {
  const resolved: ResolvedRedisOptions = { ...DEFAULT_REDIS_OPTIONS, ...options };
  if (!/^rediss?:\/\//.test(resolved.url ?? '')) throw DomainError.invalid('url', 'must be a redis:// or rediss:// URL');
  for (const name of ['hotMaxItems', 'hotIdleHalfLives', 'scanCount', 'commandTimeoutMs'] as const) {
    if (!positiveInteger(resolved[name])) throw DomainError.invalid(name, 'must be a positive integer');
  }
  for (const name of ['recentTtlSeconds', 'neighbourTtlSeconds'] as const) {
    if (!(Number.isInteger(resolved[name]) && resolved[name] >= 0)) throw DomainError.invalid(name, 'must be an integer >= 0');
  }
  return resolved;
}
