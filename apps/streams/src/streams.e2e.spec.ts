import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RealtimeMetricsUseCase, ScenariosUseCase, StreamJobsHost, StreamJobsUseCase, StreamsModule, TenantAdminUseCase, TrackBehaviorsUseCase } from '@lemo/application';
import { AnalyticsStore } from '@lemo/domain';
import { Metrics } from '@lemo/platform-observability';
import { createTestApp, eventually, type TestApp } from '@lemo/testing';

/**
 * The streams app's jobs on the embedded profile (the all-in-one's setup):
 * events tracked through the use case reach the AnalyticsStore in batches
 * (the embedded bus drains a topic one batch at a time, so a batch smaller
 * than STREAMS_BATCH_MAX_ROWS waits STREAMS_BATCH_MAX_WAIT_MS alone),
 * job control pauses and resumes consumption without losing anything, and a
 * graceful shutdown writes the batch it held.
 */
const events = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ event_id: `e${from + i}`, scenario_id: 'feed', user_id: `u${(from + i) % 3}`, item_id: `i${from + i}`, action_type: 'click' }));

async function seed(t: TestApp): Promise<void> {
  await t.app.get(TenantAdminUseCase).createTenant({ tenant_id: 'acme', name: 'Acme', quotas: {} });
  await t.app.get(ScenariosUseCase).create('acme', { scenario_id: 'feed', name: 'Feed', scenario_type: 'ecommerce', description: '', status: 'active' });
}

/** A metric's value in the app's Prometheus registry (0 when it has no sample). */
async function metric(t: TestApp, name: string): Promise<number> {
  const found = (await t.app.get(Metrics).registry.getMetricsAsJSON()).find((m) => m.name === name);
  return found?.values.find((v) => v.labels.job === 'analytics-sink')?.value ?? 0;
}

describe('stream jobs (embedded profile)', () => {
  let t: TestApp;
  let track: TrackBehaviorsUseCase;
  let analytics: AnalyticsStore;
  let host: StreamJobsHost;
  let jobs: StreamJobsUseCase;

  beforeAll(async () => {
    // A batch is written at 5 rows; a smaller one waits a minute, longer than any test here.
    t = await createTestApp({ modules: [StreamsModule], env: { STREAMS_BATCH_MAX_ROWS: '5', STREAMS_BATCH_MAX_WAIT_MS: '60000' } });
    await seed(t);
    track = t.app.get(TrackBehaviorsUseCase);
    analytics = t.app.get(AnalyticsStore);
    host = t.app.get(StreamJobsHost);
    jobs = t.app.get(StreamJobsUseCase);
  });

  afterAll(() => t?.close());

  it('inserts a full batch at once and holds a smaller one for company', async () => {
    // The embedded bus hands a topic over in batches of up to STREAMS_BATCH_MAX_ROWS: 5, then 2.
    await track.track('acme', events(0, 7));
    await eventually(async () => (await analytics.count('acme')) === 5 && (await metric(t, 'lemo_stream_pending_rows')) === 2);
    expect(await metric(t, 'lemo_stream_rows_written_total')).toBe(5);
  });

  it('pause writes the held batch and stops consuming; resume continues from the committed offset, losing nothing', async () => {
    expect((await jobs.pause('analytics-sink')).desired_state).toBe('paused');
    await host.reconcile();
    expect(await analytics.count('acme')).toBe(7);
    const paused = await jobs.status('analytics-sink');
    expect(paused.report).toMatchObject({ state: 'paused', processed_events: 7, pending_rows: 0 });
    // Jobs are controlled one by one: the real-time metrics keep running.
    expect(host.jobs.map(({ job, state }) => [job.definition.name, state])).toEqual([
      ['analytics-sink', 'paused'],
      ['realtime-metrics', 'running'],
    ]);

    // Tracked while paused: stored in the event store and on the bus, not consumed.
    await track.track('acme', events(7, 5));
    await host.reconcile();
    await eventually(async () => (await t.app.get(RealtimeMetricsUseCase).read('acme', { minutes: 5, conversion_action: 'purchase' })).totals.clicks === 12);
    expect(await analytics.count('acme')).toBe(7);
    expect((await jobs.status('analytics-sink')).report?.processed_events).toBe(7);

    expect((await jobs.resume('analytics-sink')).desired_state).toBe('running');
    await host.reconcile();
    await eventually(async () => (await analytics.count('acme')) === 12);
    expect((await jobs.status('analytics-sink')).report).toMatchObject({ state: 'running' });
  });

  it('stop keeps the job off until resumed, and unknown jobs are 404s', async () => {
    await jobs.stop('analytics-sink');
    await host.reconcile();
    await track.track('acme', events(12, 5));
    await host.reconcile();
    expect(await analytics.count('acme')).toBe(12);
    expect(await jobs.list()).toEqual([
      expect.objectContaining({ name: 'analytics-sink', consumer_group: 'analytics-ingestion', desired_state: 'stopped' }),
      expect.objectContaining({ name: 'realtime-metrics', consumer_group: 'realtime-metrics', desired_state: 'running' }),
    ]);
    await jobs.resume('analytics-sink');
    await host.reconcile();
    await eventually(async () => (await analytics.count('acme')) === 17);
    await expect(jobs.pause('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('streams shutdown (embedded profile, on disk)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lemo-streams-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes the batch it holds before it stops, so a restart finds every event stored once', async () => {
    const env = { DATA_DIR: dataDir, STREAMS_BATCH_MAX_ROWS: '1000', STREAMS_BATCH_MAX_WAIT_MS: '600000' };
    const first = await createTestApp({ modules: [StreamsModule], env });
    await seed(first);
    await first.app.get(TrackBehaviorsUseCase).track('acme', events(0, 4));
    await eventually(async () => (await metric(first, 'lemo_stream_pending_rows')) === 4);
    expect(await first.app.get(AnalyticsStore).count('acme')).toBe(0);
    await first.close();

    // Reopened with the sink running again: the batch was committed after its insert, so nothing is delivered twice.
    const second = await createTestApp({ modules: [StreamsModule], env: { ...env, STREAMS_BATCH_MAX_WAIT_MS: '10' } });
    try {
      expect(await second.app.get(AnalyticsStore).count('acme')).toBe(4);
      await second.app.get(TrackBehaviorsUseCase).track('acme', events(4, 1));
      await eventually(async () => (await second.app.get(AnalyticsStore).count('acme')) === 5);
      expect(await metric(second, 'lemo_stream_events_handled_total')).toBe(1);
    } finally {
      await second.close();
    }
  });
});
