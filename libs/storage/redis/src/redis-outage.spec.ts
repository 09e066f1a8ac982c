import { Logger } from '@nestjs/common';
import { DomainError, cacheKey } from '@lemo/domain';
import { eventually } from '@lemo/domain/testing';
import { startTcpProxy, type TcpProxy } from '@lemo/platform-testing';
import { closeAndWipe, openIsolated, redisUrl } from '../testing/redis-harness';
import type { RedisStorage } from './redis-storage';

beforeAll(() => Logger.overrideLogger(false));

const KEY = cacheKey('acme', 'outage', 'k');
const EARLY = cacheKey('acme', 'outage', 'early');

/** How long a call may take to fail while Redis is cut: callers fall back, they must not wait out the reconnection. */
const FAIL_FAST_MS = 500;

async function failure(work: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await work;
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected the call to fail while Redis is cut');
}

/** The real Redis behind a proxy this suite cuts: a network outage for this client only. */
describe('Redis adapters through a real network outage', () => {
  let proxy: TcpProxy;
  let storage: RedisStorage;
  beforeEach(async () => {
    proxy = await startTcpProxy(new URL(redisUrl()).host);
    storage = openIsolated({ url: proxy.url(redisUrl()) });
  });
  afterEach(async () => {
    proxy.restore();
    await eventually(() => expect(storage.redis.status).toBe('ready'), 15_000, 50);
    await closeAndWipe(storage);
    await proxy.close();
  });

  it('fails fast with UNAVAILABLE while cut, reports it in health, and reconnects by itself after the restore', async () => {
    await storage.cache.set(KEY, 1, 60);
    await storage.features.pushRecent('acme', 'u1', [{ item_id: 'i1', scenario_id: 's', action_type: 'click', timestamp: 1 }], 10);
    expect(await storage.health.check()).toEqual([expect.objectContaining({ name: 'redis', ok: true })]);

    // A call in flight when the link breaks waits for the reconnection, up to the command timeout, then fails.
    const inFlight = storage.cache.get(KEY);
    proxy.cut();
    await expect(inFlight).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    // Once the client has noticed, calls fail at once: callers fall back instead of waiting.
    await eventually(() => expect(storage.redis.status).not.toBe('ready'), 5_000, 10);
    for (const call of [() => storage.cache.get(KEY), () => storage.features.recent('acme', 'u1', 10), () => storage.cache.set(KEY, 2, 60)]) {
      const { error, ms } = await failure(call());
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'UNAVAILABLE' });
      expect(ms).toBeLessThan(FAIL_FAST_MS);
    }
    expect(await storage.health.check()).toEqual([expect.objectContaining({ name: 'redis', ok: false })]);

    proxy.restore();
    // ioredis reconnects on its own schedule (at most 2 s apart); nothing is reopened by hand.
    await eventually(async () => expect(await storage.cache.get(KEY)).toBe(1), 15_000, 100);
    expect(await storage.features.recent('acme', 'u1', 10)).toEqual([expect.objectContaining({ item_id: 'i1' })]);
    expect(await storage.health.check()).toEqual([expect.objectContaining({ name: 'redis', ok: true })]);
  });

  it('still waits for the first connection at start (a process may use Redis at once)', async () => {
    const fresh = openIsolated({ url: proxy.url(redisUrl()) });
    try {
      await fresh.cache.set(EARLY, 'yes', 60);
      expect(await fresh.cache.get(EARLY)).toBe('yes');
    } finally {
      await closeAndWipe(fresh);
    }
  });
});
