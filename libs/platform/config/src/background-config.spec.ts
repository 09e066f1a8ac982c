import { ConfigError, loadConfig } from './load-config';

describe('background app variables', () => {
  it('defaults: UTC, no schedule overrides, one job at a time per queue but two item-vector jobs', () => {
    const config = loadConfig({});
    expect(config.schedulerTimezone).toBe('UTC');
    expect(config.background).toEqual({
      workerConcurrency: { default: 1, model_training: 1, item_processing: 2, user_profile: 1 },
      beatSchedules: {},
      jobLocks: { lockDurationMs: 30_000, stalledIntervalMs: 30_000 },
      streams: { batchMaxRows: 1000, batchMaxWaitMs: 5000, consumerConcurrency: 8 },
      itemEvents: { publishResults: false, reportIntervalMs: 60_000 },
      servingFeaturesWriter: 'api',
    });
  });

  it('lets the streams app write the serving features, and names the variable of a bad writer', () => {
    expect(loadConfig({ SERVING_FEATURES_WRITER: 'streams' }).background.servingFeaturesWriter).toBe('streams');
    expect(() => loadConfig({ SERVING_FEATURES_WRITER: 'worker' })).toThrow(/SERVING_FEATURES_WRITER/);
  });

  it('reads the ingestion report interval of the consumer app and refuses one under a second', () => {
    expect(loadConfig({ ITEM_EVENTS_REPORT_INTERVAL_MS: '5000' }).background.itemEvents).toEqual({ publishResults: false, reportIntervalMs: 5000 });
    expect(() => loadConfig({ ITEM_EVENTS_REPORT_INTERVAL_MS: '999' })).toThrow(/ITEM_EVENTS_REPORT_INTERVAL_MS/);
    expect(() => loadConfig({ ITEM_EVENTS_REPORT_INTERVAL_MS: 'soon' })).toThrow(/ITEM_EVENTS_REPORT_INTERVAL_MS/);
  });

  it('reads the streams batching and refuses a batch of no rows', () => {
    const config = loadConfig({ STREAMS_BATCH_MAX_ROWS: '250', STREAMS_BATCH_MAX_WAIT_MS: '800', STREAMS_CONSUMER_CONCURRENCY: '4' });
    expect(config.background.streams).toEqual({ batchMaxRows: 250, batchMaxWaitMs: 800, consumerConcurrency: 4 });
    expect(() => loadConfig({ STREAMS_BATCH_MAX_ROWS: '0' })).toThrow(/STREAMS_BATCH_MAX_ROWS/);
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
    ['BULL_LOCK_DURATION_MS', '10'],
  ])('names %s when it is %s', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(variable));
  });
});
