import { Logger } from '@nestjs/common';
import type { HarnessFactory } from '@lemo/domain/testing';
import { loadConfig } from '@lemo/platform-config';
import { Redis } from 'ioredis';
import { BullStorage } from '../src/bull-storage';
import type { BullStorageOptions } from '../src/bull-storage.options';

/**
 * The dev stack's Redis, read through the validated config. Fails with what to do
 * when it is not running: these suites never skip. (`requireBackend` of
 * @lemo/testing says the same, but adapters may not import the testing lib.)
 */
export function redisUrl(): string {
  const endpoint = loadConfig().backends.redis;
  if (!endpoint) throw new Error('redis is not configured: start it (node tools/dev-stack/stack.mjs up --only redis) or set REDIS_URL');
  return endpoint.url;
}

/** A Bull prefix unique to one harness: runs sharing the server never see each other's queues. */
export const uniquePrefix = (): string => `test-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/** Fast cancel polling, so that tests wait for milliseconds rather than seconds. */
export const openIsolated = (options: Partial<BullStorageOptions> = {}): BullStorage =>
  BullStorage.open({ redisUrl: redisUrl(), prefix: uniquePrefix(), cancelPollMs: 50, ...options });

/** Deletes every key under a prefix (SCAN + UNLINK). */
export async function wipePrefix(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl());
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 }))
      if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
  } finally {
    redis.disconnect();
  }
}

/** Closes storages (waiting for their handlers), then removes their keys. */
export async function closeAndWipe(...storages: BullStorage[]): Promise<void> {
  await Promise.all(storages.map((storage) => storage.close()));
  for (const prefix of new Set(storages.map((storage) => storage.options.prefix))) await wipePrefix(prefix);
}

/** Handler failures are part of these tests: keep Nest's logger quiet. */
export const quietLogs = (): void => Logger.overrideLogger(false);

export const isolatedHarness =
  <T>(pick: (storage: BullStorage) => T): HarnessFactory<T> =>
  async () => {
    const storage = openIsolated();
    return { port: pick(storage), close: () => closeAndWipe(storage) };
  };
