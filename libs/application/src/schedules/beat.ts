import { Inject, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { Scheduler } from '@lemo/domain';
import { AppConfig } from '@lemo/platform-config';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';
import { ApplicationModule } from '../application.module';
import { resolveSchedules, type ResolvedSchedule } from './beat-schedules';
import { ScheduledJobs } from './scheduled-jobs';

/**
 * Registers the schedules with the Scheduler port at start. On the cluster
 * profile (Bull) the scheduler claims each tick in Redis, so however many beat
 * processes run, one of them enqueues the tick's jobs; the job ids carry the
 * tick besides, so even a second fire of one tick enqueues nothing new.
 */
@Injectable()
export class Beat implements OnApplicationBootstrap {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly jobs: ScheduledJobs,
    private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  /** The schedules in force: defaults, BEAT_SCHEDULES overrides, SCHEDULER_TIMEZONE. */
  schedules(): ResolvedSchedule[] {
    return resolveSchedules(this.config.background.beatSchedules, this.config.schedulerTimezone);
  }

  onApplicationBootstrap(): void {
    const schedules = this.schedules();
    for (const schedule of schedules) this.scheduler.schedule(schedule, (tickAt) => this.fire(schedule, tickAt));
    this.logger.info({ schedules }, 'beat schedules registered');
  }

  private async fire(schedule: ResolvedSchedule, tickAt: Date): Promise<void> {
    const result = await this.jobs.enqueueTick(schedule.name, tickAt);
    const fields = { schedule: schedule.name, tick: tickAt.toISOString(), scenarios: result.scenarios, enqueued: result.enqueued };
    if (result.failures.length) this.logger.error({ ...fields, failures: result.failures }, 'beat tick enqueued some jobs; others failed');
    else this.logger.info(fields, 'beat tick enqueued');
  }
}

/** The beat app's work: import it where schedules should fire (beat, all-in-one). */
@Module({ imports: [ApplicationModule], providers: [ScheduledJobs, Beat], exports: [ScheduledJobs] })
export class BeatModule {}
