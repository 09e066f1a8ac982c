import { Logger } from '@nestjs/common';
import { DomainError, Scheduler, type ScheduleDefinition } from '@lemo/domain';
import type { SqliteDatabase } from '../sqlite/sqlite-database';
import { nextCronTick } from './cron';
import { messageOf } from '../error-message';

type Fire = (tickAt: Date) => Promise<void>;

/** Node timers overflow past 2^31-1 ms (about 24.8 days); longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const TICK_RETENTION_MS = 7 * 24 * 3600 * 1000;

/**
 * Cron schedules whose ticks fire exactly once across every replica sharing
 * the database file: each replica computes the same tick times, and only the
 * one whose (name, tick_at) insert succeeds fires. Ticks missed while the
 * process was blocked are skipped, as beat does, not replayed in a burst.
 */
export class EmbeddedScheduler extends Scheduler {
  private readonly logger = new Logger('EmbeddedScheduler');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly firing = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  schedule(definition: ScheduleDefinition, fire: Fire): void {
    if (this.closed) throw new DomainError('UNAVAILABLE', 'scheduler is closed');
    if (this.timers.has(definition.name)) throw DomainError.alreadyExists('schedule', definition.name);
    this.arm(definition, fire, nextCronTick(definition.cron, definition.timezone, Date.now()));
  }

  /** Stops the timers and waits for fires in progress. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.firing]);
  }

  private arm(definition: ScheduleDefinition, fire: Fire, tickAt: number): void {
    const wait = Math.min(Math.max(0, tickAt - Date.now()), MAX_TIMER_MS);
    this.timers.set(
      definition.name,
      setTimeout(() => this.onTimer(definition, fire, tickAt), wait),
    );
  }

  private onTimer(definition: ScheduleDefinition, fire: Fire, tickAt: number): void {
    if (this.closed) return;
    const now = Date.now();
    if (now < tickAt) return this.arm(definition, fire, tickAt);
    this.arm(definition, fire, nextCronTick(definition.cron, definition.timezone, Math.max(tickAt, now)));
    if (!this.claim(definition.name, tickAt, now)) return;
    const run = fire(new Date(tickAt))
      .catch((error: unknown) => this.logger.error(`schedule '${definition.name}' tick ${new Date(tickAt).toISOString()} failed: ${messageOf(error)}`))
      .finally(() => this.firing.delete(run));
    this.firing.add(run);
  }

  private claim(name: string, tickAt: number, now: number): boolean {
    try {
      const claimed =
        this.db.statement('INSERT OR IGNORE INTO schedule_ticks (name, tick_at, claimed_at) VALUES (?, ?, ?)').run(name, tickAt, now).changes === 1;
      if (claimed) this.db.statement('DELETE FROM schedule_ticks WHERE name = ? AND tick_at < ?').run(name, now - TICK_RETENTION_MS);
      return claimed;
    } catch (error) {
      this.logger.error(`schedule '${name}' could not claim its tick: ${messageOf(error)}`);
      return false;
    }
  }
}
