import { eventually, expectDomainError, sleep } from '@lemo/domain/testing';
import { Redis } from 'ioredis';
import { closeAndWipe, openIsolated, quietLogs, redisUrl } from '../testing/bull-harness';
import { scheduleTicksKey, type BullStorage } from './bull-storage';
import { CronSchedule } from './cron-schedule';

beforeAll(quietLogs);

describe('RedisScheduler', () => {
  let replicas: BullStorage[];

  beforeEach(() => {
    const first = openIsolated();
    replicas = [first, openIsolated({ prefix: first.options.prefix }), openIsolated({ prefix: first.options.prefix })];
  });
  afterEach(() => closeAndWipe(...replicas));

  // A tick is skipped only when every replica's event loop stalls past the next tick (a loaded CI machine can do
  // that), so this asserts order and once-only firing on second boundaries rather than gap-free wall-clock ticks.
  it('fires each tick at most once and in order, across three replicas on their own connections', async () => {
    const fired: number[] = [];
    for (const replica of replicas) replica.scheduler.schedule({ name: 'refresh', cron: '* * * * * *' }, async (tickAt) => void fired.push(tickAt.getTime()));
    await eventually(() => expect(fired.length).toBeGreaterThanOrEqual(4), 8000, 50);
    await Promise.all(replicas.map((replica) => replica.scheduler.close()));
    const ticks = [...fired].sort((a, b) => a - b);
    expect(new Set(ticks).size).toBe(ticks.length);
    ticks.slice(1).forEach((tick, i) => {
      expect(tick - ticks[i]).toBeGreaterThanOrEqual(1000);
      expect((tick - ticks[i]) % 1000).toBe(0);
    });
    const redis = new Redis(redisUrl());
    expect(Number(await redis.hget(scheduleTicksKey(replicas[0].options.prefix), 'refresh'))).toBe(ticks.at(-1));
    redis.disconnect();
  }, 12_000);

  it('keeps firing after a failed tick, and refuses a second schedule of one name', async () => {
    const [scheduler] = replicas.map((replica) => replica.scheduler);
    let fires = 0;
    scheduler.schedule({ name: 'flaky', cron: '* * * * * *' }, async () => {
      fires += 1;
      throw new Error('downstream unavailable');
    });
    await expectDomainError(() => scheduler.schedule({ name: 'flaky', cron: '0 3 * * *' }, async () => undefined), 'ALREADY_EXISTS');
    await eventually(() => expect(fires).toBeGreaterThanOrEqual(2), 8000, 50);
  }, 12_000);

  it('never fires a tick older than the last one fired (a replica whose timer ran late)', async () => {
    const redis = new Redis(redisUrl());
    const future = Date.now() + 3_600_000;
    await redis.hset(scheduleTicksKey(replicas[0].options.prefix), 'refresh', future);
    redis.disconnect();
    let fires = 0;
    replicas[0].scheduler.schedule({ name: 'refresh', cron: '* * * * * *' }, async () => void (fires += 1));
    await sleep(2200);
    expect(fires).toBe(0);
  });
});

describe('CronSchedule', () => {
  const at = (iso: string) => Date.parse(iso);

  it('computes ticks in the schedule time zone, UTC by default', () => {
    const daily = { name: 'training', cron: '0 3 * * *' };
    expect(CronSchedule.parse(daily).nextAfter(at('2026-01-01T00:00:00Z'))).toBe(at('2026-01-01T03:00:00Z'));
    expect(CronSchedule.parse({ ...daily, timezone: 'Asia/Shanghai' }).nextAfter(at('2026-01-01T00:00:00Z'))).toBe(at('2026-01-01T19:00:00Z'));
    expect(CronSchedule.parse({ ...daily, timezone: 'Europe/Berlin' }).nextAfter(at('2026-07-01T00:00:00Z'))).toBe(at('2026-07-01T01:00:00Z'));
  });

  it('takes a leading seconds field and @-aliases, and is reusable', () => {
    const everyTenSeconds = CronSchedule.parse({ name: 'x', cron: '*/10 * * * * *' });
    expect(everyTenSeconds.nextAfter(at('2026-01-01T00:00:05Z'))).toBe(at('2026-01-01T00:00:10Z'));
    expect(everyTenSeconds.nextAfter(at('2026-01-01T00:00:10Z'))).toBe(at('2026-01-01T00:00:20Z'));
    expect(CronSchedule.parse({ name: 'x', cron: '@hourly' }).nextAfter(at('2026-01-01T00:30:00Z'))).toBe(at('2026-01-01T01:00:00Z'));
  });
});
