import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RedisCache } from './cache.adapter';
import { RedisFeatureStore } from './feature-store.adapter';
import { RedisHealthIndicator } from './health.adapter';
import { RedisRealtimeCounters } from './realtime-counters.adapter';
import { RedisKeyspace } from './redis-keys';
import { resolveOptions, type RedisStorageOptions, type ResolvedRedisOptions } from './redis-storage.options';

/** Commands queued while reconnecting are retried this often before they fail (UNAVAILABLE). */
const MAX_RETRIES_PER_REQUEST = 2;

/**
 * The Redis adapters over one ioredis connection. The Nest module exposes each
 * as its port and closes the connection on application shutdown; tests and
 * tools may open one directly.
 */
export class RedisStorage implements OnApplicationShutdown {
  readonly cache: RedisCache;
  readonly features: RedisFeatureStore;
  readonly counters: RedisRealtimeCounters;
  readonly health: RedisHealthIndicator;
  readonly keys: RedisKeyspace;
  private readonly logger = new Logger('RedisStorage');
  private closing: Promise<void> | null = null;

  private constructor(
    readonly redis: Redis,
    resolved: ResolvedRedisOptions,
  ) {
    this.keys = new RedisKeyspace(resolved.keyPrefix);
    this.cache = new RedisCache(redis, this.keys, resolved.scanCount);
    this.features = new RedisFeatureStore(redis, this.keys, resolved);
    this.counters = new RedisRealtimeCounters(redis, this.keys);
    this.health = new RedisHealthIndicator(redis, `${redis.options.host}:${redis.options.port}`);
    // Without a listener ioredis prints every connection error; one line per outage is enough.
    let reported = false;
    redis.on('error', (error: Error) => {
      if (!reported) this.logger.warn(`redis connection error: ${error.message}`);
      reported = true;
    });
    redis.on('ready', () => (reported = false));
    // Once connected, a lost connection fails commands at once (UNAVAILABLE) until it is back, rather than
    // queueing each for the reconnection: every caller has a fallback, and waiting out the retry schedule
    // (up to the command timeout) on every call would turn an outage into slow requests everywhere.
    // Before the first connection commands still wait, so a process may use Redis as soon as it starts.
    let connectedOnce = false;
    redis.on('ready', () => {
      connectedOnce = true;
      redis.options.enableOfflineQueue = true;
    });
    redis.on('close', () => {
      if (connectedOnce) redis.options.enableOfflineQueue = false;
    });
  }

  /** Connects in the background; commands wait for the connection (up to the command timeout). */
  static open(options: RedisStorageOptions): RedisStorage {
    const resolved = resolveOptions(options);
    const redis = new Redis(resolved.url, {
      maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
      commandTimeout: resolved.commandTimeoutMs,
      connectionName: 'lemo',
    });
    return new RedisStorage(redis, resolved);
  }

  /**
   * Sends QUIT when connected (replies in flight still arrive) and resolves once
   * the connection has ended; otherwise stops reconnecting at once. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const redis = this.redis;
      if (redis.status !== 'ready') return redis.disconnect();
      const ended = new Promise<void>((resolve) => redis.once('end', () => resolve()));
      await redis.quit().catch(() => redis.disconnect());
      await ended;
    })();
    return this.closing;
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}
