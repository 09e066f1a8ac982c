import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

/**
 * Beat's jobs that run once per scenario, so a scenario may have its own
 * schedule for them. `cache_cleanup` is one run for the whole deployment and
 * is set by the deployment only (BEAT_SCHEDULES).
 */
export const SCENARIO_SCHEDULE_NAMES = ['recall_training', 'item_vectors', 'item_similarity', 'user_profiles', 'precompute'] as const;
export type ScenarioScheduleName = (typeof SCENARIO_SCHEDULE_NAMES)[number];

/** The schedule value that turns a job off. */
export const SCHEDULE_OFF = 'off';

/**
 * Why `cron` is not a five-field expression (minute hour day-of-month month
 * day-of-week), or undefined when it is one. Five fields only: beat checks
 * scenario schedules once a minute, so seconds cannot be honoured.
 */
export function fiveFieldCronProblem(cron: string): string | undefined {
  const fields = cron
    .trim()
    .split(/\s+/)
    .filter((field) => field !== '');
  if (fields.length !== 5) return `'${cron}' has ${fields.length} field(s); expected five (minute hour day-of-month month day-of-week) or '${SCHEDULE_OFF}'`;
  try {
    CronExpressionParser.parse(cron, { tz: 'UTC' }).next();
    return undefined;
  } catch (error) {
    return `'${cron}' is not a valid cron expression: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** A cron expression, 'off', or null (follow the deployment: clears an override through a config patch, where objects merge). */
const scenarioScheduleSchema = z
  .string()
  .trim()
  .max(128)
  .superRefine((value, ctx) => {
    if (value === SCHEDULE_OFF) return;
    const problem = fiveFieldCronProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe(`Five-field cron (minute hour day-of-month month day-of-week) in beat's SCHEDULER_TIMEZONE, or '${SCHEDULE_OFF}'`)
  .nullable()
  .optional();

/**
 * A scenario's own schedules, in beat's time zone (SCHEDULER_TIMEZONE). A job
 * named here runs on this cron for the scenario (or never, with 'off') instead
 * of on the deployment's schedule, which then skips the scenario; a job not
 * named (or null) follows the deployment.
 */
export const scenarioSchedulesSchema = z
  .object({
    recall_training: scenarioScheduleSchema,
    item_vectors: scenarioScheduleSchema,
    item_similarity: scenarioScheduleSchema,
    user_profiles: scenarioScheduleSchema,
    precompute: scenarioScheduleSchema,
  } satisfies Record<ScenarioScheduleName, typeof scenarioScheduleSchema>)
  .strict();
export type ScenarioSchedules = z.infer<typeof scenarioSchedulesSchema>;

/** The scenario's own schedule of a job ('off' or a cron), or undefined when it follows the deployment's. */
export function scenarioScheduleOverride(schedules: ScenarioSchedules | undefined, name: ScenarioScheduleName): string | undefined {
  return schedules?.[name] ?? undefined;
}
