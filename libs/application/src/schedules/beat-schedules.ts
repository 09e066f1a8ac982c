import { DomainError, SCHEDULE_OFF, scenarioScheduleOverride, SCENARIO_SCHEDULE_NAMES, type ScenarioScheduleName, type ScenarioSchedules } from '@lemo/domain';
import { CronExpressionParser } from 'cron-parser';

/** The schedules beat runs, with their default cron (in SCHEDULER_TIMEZONE). */
export const DEFAULT_SCHEDULES = {
  /** Recall models (als, bpr, ease; embedding trains als) of every active scenario that uses them. */
  recall_training: '0 3 * * *',
  /** Every item's vector, catching up on changes whose per-item job was lost. */
  item_vectors: '0 * * * *',
  /** Item-to-item neighbours for item CF; also rebuilt a little after new events. */
  item_similarity: '0 * * * *',
  /** Stored profiles and user vectors of each scenario's users active since the last run. */
  user_profiles: '0 */2 * * *',
  /** Recommendation lists of each scenario's recently active users, served until the user acts again. */
  precompute: '0 */4 * * *',
  /** One run for every tenant: keys of deleted tenants, scenarios and users, stale lists, hot-score trims. */
  cache_cleanup: '0 4 * * *',
} as const;
export type ScheduleName = keyof typeof DEFAULT_SCHEDULES;

/**
 * Jobs of the product's table that beat deliberately does not run, and why:
 * naming one in BEAT_SCHEDULES is an error that says so, rather than a silent
 * no-op. Every job of the table is scheduled today.
 */
export const UNSCHEDULED_JOBS: Readonly<Record<string, string>> = {};

export { SCHEDULE_OFF };

/** Schedules whose tick is one job for the whole deployment, not one per scenario: a scenario cannot override them. */
export const GLOBAL_SCHEDULES: ReadonlySet<ScheduleName> = new Set(['cache_cleanup']);

// The scenario config (libs/domain) names exactly beat's per-scenario schedules: a job added to one list and not the other fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _scenarioSchedulesAreBeats: Same<Exclude<ScheduleName, 'cache_cleanup'>, ScenarioScheduleName> = true;

/**
 * Beat's check of the scenarios' own schedules (`config.schedules`): once a
 * minute, the finest a five-field cron can name. It re-reads the scenario
 * configs at every check, so an override takes effect at the next minute,
 * without a restart; the Scheduler fires each check once across beat replicas.
 */
export const SCENARIO_SCHEDULES_CHECK = { name: 'scenario_schedules', cron: '* * * * *' } as const;

export interface ResolvedSchedule {
  name: ScheduleName;
  cron: string;
  timezone: string;
}

const isScheduleName = (name: string): name is ScheduleName => Object.hasOwn(DEFAULT_SCHEDULES, name);

/**
 * The defaults with the deployment's overrides (BEAT_SCHEDULES) applied; "off"
 * drops a schedule. An unknown name fails, naming it: a typo would otherwise
 * leave the default running unnoticed. Cron expressions are checked by the
 * Scheduler when registered.
 */
export function resolveSchedules(overrides: Readonly<Record<string, string>>, timezone: string): ResolvedSchedule[] {
  for (const name of Object.keys(overrides)) {
    if (isScheduleName(name)) continue;
    const why = UNSCHEDULED_JOBS[name];
    throw DomainError.invalid(
      `BEAT_SCHEDULES.${name}`,
      why ? `'${name}' is not a beat schedule: ${why}` : `unknown schedule '${name}'; known: ${Object.keys(DEFAULT_SCHEDULES).join(', ')}`,
    );
  }
  return (Object.keys(DEFAULT_SCHEDULES) as ScheduleName[])
    .map((name) => ({ name, cron: (overrides[name] ?? DEFAULT_SCHEDULES[name]).trim(), timezone }))
    .filter((schedule) => schedule.cron !== SCHEDULE_OFF);
}

/**
 * Whether the deployment's tick of `schedule` covers a scenario: not when the
 * scenario has its own schedule for the job (a cron, which the per-minute check
 * fires, or 'off'). A scenario's own schedule wins over the deployment's,
 * including a deployment 'off'.
 */
export function followsDeploymentSchedule(schedules: ScenarioSchedules | undefined, schedule: ScheduleName): boolean {
  return GLOBAL_SCHEDULES.has(schedule) || scenarioScheduleOverride(schedules, schedule as ScenarioScheduleName) === undefined;
}

/**
 * The scenario's jobs whose own cron has a tick at `tickAt` (a minute of the
 * per-minute check), in `timezone`: the same tick the Scheduler would fire
 * for that cron, so its jobs get the same ids whichever way they were enqueued.
 */
export function dueScenarioSchedules(schedules: ScenarioSchedules | undefined, timezone: string, tickAt: Date): ScenarioScheduleName[] {
  return SCENARIO_SCHEDULE_NAMES.filter((name) => {
    const cron = scenarioScheduleOverride(schedules, name);
    return cron !== undefined && cron !== SCHEDULE_OFF && ticksAt(cron, timezone, tickAt);
  });
}

/** Whether the cron's first tick after the millisecond before `tickAt` is `tickAt` itself. */
function ticksAt(cron: string, timezone: string, tickAt: Date): boolean {
  const next = CronExpressionParser.parse(cron, { currentDate: new Date(tickAt.getTime() - 1), tz: timezone }).next();
  return next.getTime() === tickAt.getTime();
}
