import { validateScenarioConfig } from './scenario-config.validator';
import { fiveFieldCronProblem, scenarioScheduleOverride, scenarioSchedulesSchema } from './scenario-schedules';

const capabilities = { recallStrategies: ['item_cf', 'recent_similar', 'popular', 'latest'], rankers: ['rule'] };

describe('scenario schedules', () => {
  it('accepts five-field crons, "off" and null (follow the deployment), trimmed', () => {
    const parsed = scenarioSchedulesSchema.parse({
      recall_training: ' 30 2 * * 1-5 ',
      item_similarity: '*/15 * * * *',
      precompute: 'off',
      user_profiles: null,
    });
    expect(parsed).toEqual({ recall_training: '30 2 * * 1-5', item_similarity: '*/15 * * * *', precompute: 'off', user_profiles: null });
    expect(scenarioScheduleOverride(parsed, 'recall_training')).toBe('30 2 * * 1-5');
    expect(scenarioScheduleOverride(parsed, 'precompute')).toBe('off');
    expect(scenarioScheduleOverride(parsed, 'user_profiles')).toBeUndefined();
    expect(scenarioScheduleOverride(parsed, 'item_vectors')).toBeUndefined();
    expect(scenarioScheduleOverride(undefined, 'item_vectors')).toBeUndefined();
  });

  it('refuses what beat could not honour: other field counts (seconds, aliases), out-of-range values, garbage', () => {
    expect(fiveFieldCronProblem('0 3 * * *')).toBeUndefined();
    expect(fiveFieldCronProblem('* * * * * *')).toMatch(/6 field\(s\); expected five/);
    expect(fiveFieldCronProblem('@daily')).toMatch(/1 field\(s\)/);
    expect(fiveFieldCronProblem('* * * *')).toMatch(/4 field\(s\)/);
    expect(fiveFieldCronProblem('0 25 * * *')).toMatch(/'0 25 \* \* \*' is not a valid cron expression/);
    expect(fiveFieldCronProblem('a b c d e')).toMatch(/not a valid cron expression/);
  });

  it('is part of the scenario config: a bad cron is an error naming config.schedules.<job>; unknown jobs (cache_cleanup) are refused', () => {
    const bad = validateScenarioConfig({ schedules: { item_similarity: '0 25 * * *' } }, capabilities);
    expect(bad.valid).toBe(false);
    expect(bad.errors).toEqual([{ field: 'config.schedules.item_similarity', message: expect.stringMatching(/not a valid cron expression/) }]);
    const global = validateScenarioConfig({ schedules: { cache_cleanup: '0 4 * * *' } }, capabilities);
    expect(global.errors).toEqual([{ field: 'config.schedules.cache_cleanup', message: 'unknown field' }]);
    const good = validateScenarioConfig({ schedules: { precompute: '0 */6 * * *' } }, capabilities);
    expect(good.valid).toBe(true);
    expect(good.config?.schedules).toEqual({ precompute: '0 */6 * * *' });
    // Without the section the scenario follows the deployment's schedules.
    expect(validateScenarioConfig({}, capabilities).config?.schedules).toBeUndefined();
  });
});
