import { Logger } from '@nestjs/common';
import { DomainError, Scheduler, type ScheduleDefinition } from '@lemo/domain';
import type { Queue } from 'bull';
import { messageOf } from './bull-errors';
import { CronSchedule } from './cron-schedule';

type Fire = (tickAt: Date) => Promise<void>;

/** Node timers overflow past 2^31-1 ms (about 24.8 days); longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Claims a tick for one replica: the hash field `name` holds the last tick
 * fired, and only a later tick may replace it. Ticks only move forward, so
 * one field per schedule is the whole record (no key per tick to expire),
 * and a replica whose timer runs late can never fire a tick again.
 */
const CLAIM_TICK_LUA = `
local last = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '-1')
if tonumber(ARGV[2]) > last then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return 1
end
return 0
`;

/** One schedule's timer: waits for each tick in turn and hands it on; ticks missed while blocked are skipped. */
class TickTimer {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly cron: CronSchedule,
    private readonly onTick: (tickAt: number) => void,
  ) {}

  start(): void {
    this.waitFor(this.cron.nextAfter(Date.now()));
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private waitFor(tickAt: number): void {
    this.timer = setTimeout(
      () => {
        const now = Date.now();
        if (now < tickAt) return this.waitFor(tickAt);
        this.waitFor(this.cron.nextAfter(Math.max(tickAt, now)));
        this.onTick(tickAt);
      },
      Math.min(Math.max(0, tickAt - Date.now()), MAX_TIMER_MS),
    );
  }
}

/**
 * Cron schedules fired exactly once across every replica sharing the Redis:
 * each replica times the same ticks, and only the one whose claim of
 * (name, tick) succeeds fires it (at most once per tick even if that replica
 * then dies; beat jobs are idempotent enqueues, so a lost tick costs one period).
 */
export class RedisScheduler extends Scheduler {
  private readonly logger = new Logger('RedisScheduler');
  private readonly timers = new Map<string, TickTimer>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(
    /** A command connection to the Redis the replicas share (Bull's queue client). */
    private readonly redis: Pick<Queue['client'], 'eval'>,
    /** Hash of the last tick fired per schedule name. */
    private readonly ticksKey: string,
  ) {
    super();
  }

  schedule(definition: ScheduleDefinition, fire: Fire): void {
    if (this.closed) throw new DomainError('UNAVAILABLE', 'scheduler is closed');
    if (this.timers.has(definition.name)) throw DomainError.alreadyExists('schedule', definition.name);
    const timer = new TickTimer(CronSchedule.parse(definition), (tickAt) => this.track(this.claimAndFire(definition.name, tickAt, fire)));
    this.timers.set(definition.name, timer);
    timer.start();
  }

  /** Stops the timers and waits for claims and fires in progress. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) timer.stop();
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async claimAndFire(name: string, tickAt: number, fire: Fire): Promise<void> {
    const tick = `schedule '${name}' tick ${new Date(tickAt).toISOString()}`;
    let claimed: boolean;
    try {
      claimed = (await this.redis.eval(CLAIM_TICK_LUA, 1, this.ticksKey, name, tickAt)) === 1;
    } catch (error) {
      return this.logger.error(`${tick} could not be claimed: ${messageOf(error)}`);
    }
    if (!claimed) return;
    await fire(new Date(tickAt)).catch((error: unknown) => this.logger.error(`${tick} failed: ${messageOf(error)}`));
  }
}
