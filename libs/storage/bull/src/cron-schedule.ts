import { DomainError, type ScheduleDefinition } from '@lemo/domain';
import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { messageOf } from './bull-errors';

/**
 * One parsed cron expression: five fields as the port says, or six with a
 * leading seconds field, or an @daily-style alias, in the definition's time
 * zone (UTC by default). Parsed once, when the schedule is registered, so a
 * bad expression or zone fails there as VALIDATION_FAILED.
 */
export class CronSchedule {
  private constructor(private readonly expression: CronExpression) {}

  static parse({ cron, timezone }: ScheduleDefinition): CronSchedule {
    try {
      const schedule = new CronSchedule(CronExpressionParser.parse(cron, { tz: timezone }));
      schedule.nextAfter(Date.now());
      return schedule;
    } catch (error) {
      const field = timezone ? 'cron/timezone' : 'cron';
      throw DomainError.invalid(field, `'${cron}'${timezone ? ` in ${timezone}` : ''} is not a valid schedule: ${messageOf(error)}`);
    }
  }

  /** The first tick strictly after `time` (unix ms). */
  nextAfter(time: number): number {
    this.expression.reset(new Date(time));
    return this.expression.next().getTime();
  }
}
