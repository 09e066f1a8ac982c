import { ConfigError, loadConfig } from './load-config';

describe('background app variables', () => {
  it('defaults: UTC, no schedule overrides, one job at a time per queue but two item-vector jobs', () => {
    const config = loadConfig({});
    expect(config.schedulerTimezone).toBe('UTC');
    expect(config.background).toEqual({
      workerConcurrency: { default: 1, model_training: 1, item_processing: 2 },
      beatSchedules: {},
    });
  });

  it('reads per-queue concurrency, schedule overrides and the time zone', () => {
    const config = loadConfig({
      WORKER_CONCURRENCY_MODEL_TRAINING: '3',
      BEAT_SCHEDULES: '{"item_similarity":"*/30 * * * *","recall_training":"off"}',
      SCHEDULER_TIMEZONE: 'Europe/Berlin',
    });
    expect(config.background.workerConcurrency.model_training).toBe(3);
    expect(config.background.beatSchedules).toEqual({ item_similarity: '*/30 * * * *', recall_training: 'off' });
    expect(config.schedulerTimezone).toBe('Europe/Berlin');
  });

  it.each([
    ['BEAT_SCHEDULES', 'not json'],
    ['BEAT_SCHEDULES', '["0 * * * *"]'],
    ['BEAT_SCHEDULES', '{"item_similarity":5}'],
    ['SCHEDULER_TIMEZONE', 'Mars/Olympus'],
    ['WORKER_CONCURRENCY_DEFAULT', '0'],
  ])('names %s when it is %s', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(variable));
  });
});
