import { DomainError } from '@lemo/domain';
import { CronExpressionParser } from 'cron-parser';
import { messageOf } from '../error-message';

/**
 * The first tick strictly after `after` (unix ms). Five-field expressions are
 * the contract; a sixth leading seconds field and @daily-style aliases are also
 * accepted. A bad expression or time zone is VALIDATION_FAILED.
 */
export function nextCronTick(cron: string, timezone: string | undefined, after: number): number {
  try {
    return CronExpressionParser.parse(cron, { currentDate: new Date(after), tz: timezone })
      .next()
      .getTime();
  } catch (error) {
    throw DomainError.invalid(
      timezone ? 'cron/timezone' : 'cron',
      `'${cron}'${timezone ? ` in ${timezone}` : ''} is not a valid schedule: ${messageOf(error)}`,
    );
  }
}
