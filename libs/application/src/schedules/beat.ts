import { Inject, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { Scheduler, type ScheduleDefinition } from '@lemo/domain';
import { AppConfig } from '@lemo/platform-config';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';
import { ApplicationModule } from '../application.module';
import { resolveSchedules, SCENARIO_SCHEDULES_CHECK, type ResolvedSchedule } from './beat-schedules';
import { ScheduledJobs } from './scheduled-jobs';

/**
 * Registers the schedules with the Scheduler port at start, and the
 * per-minute check of the scenarios' own schedules (`config.schedules`),
 * which reads the scenario configs at each tick, so a changed override needs
 * no restart. On the cluster profile (Bull) the scheduler claims each tick in
 * Redis, so however many beat processes run, one of them enqueues the tick's
 * jobs; the job ids carry the tick besides, so even a second fire of one tick
 * enqueues nothing new. Both hold for the per-minute check as for any schedule.
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

  /** The per-minute check of the scenarios' own schedules, in SCHEDULER_TIMEZONE; registered whatever BEAT_SCHEDULES says. */
  scenarioSchedulesCheck(): ScheduleDefinition {
    return { ...SCENARIO_SCHEDULES_CHECK, timezone: this.config.schedulerTimezone };
  }

  onApplicationBootstrap(): void {
    const schedules = this.schedules();
    for (const schedule of schedules) this.scheduler.schedule(schedule, (tickAt) => this.fire(schedule, tickAt));
    const check = this.scenarioSchedulesCheck();
    this.scheduler.schedule(check, (tickAt) => this.checkScenarioSchedules(tickAt));
    this.logger.info({ schedules, scenario_schedules: check }, 'beat schedules registered');
  }

  private async fire(schedule: ResolvedSchedule, tickAt: Date): Promise<void> {
    const result = await this.jobs.enqueueTick(schedule.name, tickAt);
    const fields = { schedule: schedule.name, tick: tickAt.toISOString(), scenarios: result.scenarios, enqueued: result.enqueued };
    if (result.failures.length) this.logger.error({ ...fields, failures: result.failures }, 'beat tick enqueued some jobs; others failed');
    else this.logger.info(fields, 'beat tick enqueued');
  }

  /** Logged only when a scenario had a job due (or failed): the check runs every minute. */
  private async checkScenarioSchedules(tickAt: Date): Promise<void> {
    const result = await this.jobs.enqueueScenarioSchedules(tickAt);
    const fields = { tick: tickAt.toISOString(), scenarios: result.scenarios, enqueued: result.enqueued };
    if (result.failures.length) this.logger.error({ ...fields, failures: result.failures }, 'beat scenario schedules enqueued some jobs; others failed');
    else if (result.scenarios > 0) this.logger.info(fields, 'beat scenario schedules enqueued');
    else this.logger.debug(fields, 'beat scenario schedules checked: nothing due');
  }
}

/** The beat app's work: import it where schedules should fire (beat, all-in-one). */
@Module({ imports: [ApplicationModule], providers: [ScheduledJobs, Beat], exports: [ScheduledJobs] })
export class BeatModule {}
