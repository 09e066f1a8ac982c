import { dueScenarioSchedules, followsDeploymentSchedule, SCENARIO_SCHEDULES_CHECK } from './beat-schedules';

const at = (iso: string) => new Date(iso);

describe('scenario schedule resolution', () => {
  it('leaves a job to the scenario when it names a cron or "off" for it; null or absent follows the deployment', () => {
    const schedules = { precompute: '*/10 * * * *', recall_training: 'off', user_profiles: null };
    expect(followsDeploymentSchedule(schedules, 'precompute')).toBe(false);
    expect(followsDeploymentSchedule(schedules, 'recall_training')).toBe(false);
    expect(followsDeploymentSchedule(schedules, 'user_profiles')).toBe(true);
    expect(followsDeploymentSchedule(schedules, 'item_similarity')).toBe(true);
    expect(followsDeploymentSchedule(undefined, 'precompute')).toBe(true);
    // The global cleanup is the deployment's alone.
    expect(followsDeploymentSchedule(schedules, 'cache_cleanup')).toBe(true);
  });

  it('finds the jobs whose own cron ticks at the checked minute, never an "off" one', () => {
    const schedules = { precompute: '*/10 * * * *', item_similarity: '30 3 * * *', recall_training: 'off', user_profiles: null };
    expect(dueScenarioSchedules(schedules, 'UTC', at('2030-01-01T03:30:00Z'))).toEqual(['item_similarity', 'precompute']);
    expect(dueScenarioSchedules(schedules, 'UTC', at('2030-01-01T03:40:00Z'))).toEqual(['precompute']);
    expect(dueScenarioSchedules(schedules, 'UTC', at('2030-01-01T03:41:00Z'))).toEqual([]);
    expect(dueScenarioSchedules(undefined, 'UTC', at('2030-01-01T03:30:00Z'))).toEqual([]);
  });

  it('reads the cron in the scheduler time zone, across a DST change', () => {
    const schedules = { recall_training: '30 3 * * *' };
    // 03:30 in Berlin is 02:30 UTC in winter and 01:30 UTC in summer.
    expect(dueScenarioSchedules(schedules, 'Europe/Berlin', at('2030-01-15T02:30:00Z'))).toEqual(['recall_training']);
    expect(dueScenarioSchedules(schedules, 'Europe/Berlin', at('2030-01-15T03:30:00Z'))).toEqual([]);
    expect(dueScenarioSchedules(schedules, 'Europe/Berlin', at('2030-07-15T01:30:00Z'))).toEqual(['recall_training']);
  });

  it('is checked every minute: each tick of a five-field cron is a tick of the check', () => {
    expect(SCENARIO_SCHEDULES_CHECK).toEqual({ name: 'scenario_schedules', cron: '* * * * *' });
    // Over a day, the minutes due for '*/7 9-10 * * 1' (a Monday) are exactly the cron's ticks.
    const due: string[] = [];
    for (let t = Date.parse('2030-01-07T00:00:00Z'); t < Date.parse('2030-01-08T00:00:00Z'); t += 60_000) {
      if (dueScenarioSchedules({ item_vectors: '*/7 9-10 * * 1' }, 'UTC', new Date(t)).length > 0) due.push(new Date(t).toISOString().slice(11, 16));
    }
    expect(due).toEqual([
      '09:00',
      '09:07',
      '09:14',
      '09:21',
      '09:28',
      '09:35',
      '09:42',
      '09:49',
      '09:56',
      '10:00',
      '10:07',
      '10:14',
      '10:21',
      '10:28',
      '10:35',
      '10:42',
      '10:49',
      '10:56',
    ]);
  });
});
