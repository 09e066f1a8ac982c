import type { HarnessFactory } from '@lemo/domain/testing';
import { loadConfig } from '@lemo/platform-config';
import { Redis } from 'ioredis';
import { RedisStorage } from '../src/redis-storage';
import type { RedisStorageOptions } from '../src/redis-storage.options';
import { escapeGlob } from '../src/redis-keys';
import { unlinkMatching } from '../src/scan-unlink';

/**
 * The dev stack's Redis, read through the validated config. Fails with what to do
 * when it is not running: these suites never skip. (`requireBackend` of
 * @lemo/testing says the same, but adapters may not import the testing lib.)
 */
export function redisUrl(): string {
  const redis = loadConfig().backends.redis;
  if (!redis) throw new Error('redis is not configured: start it (node tools/dev-stack/stack.mjs up --only redis) or set REDIS_URL');
  return redis.url;
}

/** Unique to one harness, so runs sharing the server never see each other's keys. */
const uniquePrefix = (): string => `test:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}:`;

/** A storage whose keys all start with a prefix unique to this run: suites sharing the server never meet. */
export function openIsolated(options: Partial<RedisStorageOptions> = {}): RedisStorage {
  return RedisStorage.open({ url: redisUrl(), keyPrefix: uniquePrefix(), ...options });
}

/** Removes every key of an isolated storage, then closes it. */
export async function closeAndWipe(storage: RedisStorage): Promise<void> {
  await unlinkMatching(storage.redis, `${escapeGlob(storage.keys.prefix)}*`, 1000);
  await storage.close();
}

/** A harness factory for one adapter of a fresh, isolated storage. */
export const isolatedHarness =
  <T>(pick: (storage: RedisStorage) => T, options: Partial<RedisStorageOptions> = {}): HarnessFactory<T> =>
  async () => {
    const storage = openIsolated(options);
    return { port: pick(storage), close: () => closeAndWipe(storage) };
  };

/** A plain connection for looking at what the adapters wrote. */
export const inspector = (): Redis => new Redis(redisUrl());

/**
 * Gives each test of the enclosing describe a fresh isolated storage and an
 * inspecting connection, wiped and closed afterwards.
 */
export function useIsolatedStorage(options: Partial<RedisStorageOptions> = {}): { storage(): RedisStorage; redis(): Redis } {
  let storage: RedisStorage | undefined;
  let redis: Redis | undefined;
  beforeEach(() => {
    storage = openIsolated(options);
    redis = inspector();
  });
  afterEach(async () => {
    redis?.disconnect();
    if (storage) await closeAndWipe(storage);
  });
  const present = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('only available inside a test');
    return value;
  };
  return { storage: () => present(storage), redis: () => present(redis) };
}

/** Every key of an isolated storage, without its prefix, sorted (SCAN, not KEYS). */
export async function keysOf(redis: Redis, storage: RedisStorage): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of redis.scanStream({ match: `${escapeGlob(storage.keys.prefix)}*`, count: 1000 })) keys.push(...(page as string[]));
  return [...new Set(keys)].map((key) => key.slice(storage.keys.prefix.length)).sort();
}
