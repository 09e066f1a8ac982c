import { DomainError } from '@lemo/domain';

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

export const SCHEDULE_OFF = 'off';

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
