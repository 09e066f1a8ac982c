import { Beat, BeatModule, ScenariosUseCase, ScheduledJobs, TenantAdminUseCase, resolveSchedules } from '@lemo/application';
import { JobQueue, type JobRecord } from '@lemo/domain';
import { createTestApp, eventually, type TestApp } from '@lemo/testing';

jest.setTimeout(30_000);

describe('beat schedules', () => {
  it('defaults to the product table in UTC: training 03:00, vectors and similarity hourly, profiles 2-hourly, precompute 4-hourly, cleanup 04:00', () => {
    expect(resolveSchedules({}, 'UTC')).toEqual([
      { name: 'recall_training', cron: '0 3 * * *', timezone: 'UTC' },
      { name: 'item_vectors', cron: '0 * * * *', timezone: 'UTC' },
      { name: 'item_similarity', cron: '0 * * * *', timezone: 'UTC' },
      { name: 'user_profiles', cron: '0 */2 * * *', timezone: 'UTC' },
      { name: 'precompute', cron: '0 */4 * * *', timezone: 'UTC' },
      { name: 'cache_cleanup', cron: '0 4 * * *', timezone: 'UTC' },
    ]);
  });

  it('applies per-deployment overrides and "off"', () => {
    const overrides = { item_similarity: '*/30 * * * *', recall_training: 'off', item_vectors: 'off', user_profiles: '30 */3 * * *', precompute: 'off', cache_cleanup: '15 5 * * *' };
    expect(resolveSchedules(overrides, 'Europe/Berlin')).toEqual([
      { name: 'item_similarity', cron: '*/30 * * * *', timezone: 'Europe/Berlin' },
      { name: 'user_profiles', cron: '30 */3 * * *', timezone: 'Europe/Berlin' },
      { name: 'cache_cleanup', cron: '15 5 * * *', timezone: 'Europe/Berlin' },
    ]);
  });

  it('refuses an unknown schedule, naming the known ones', () => {
    expect(() => resolveSchedules({ item_similarty: '0 * * * *' }, 'UTC')).toThrow(/BEAT_SCHEDULES\.item_similarty: unknown schedule.*user_profiles, precompute, cache_cleanup/);
  });
});

describe('beat ticks (embedded profile)', () => {
  let testApp: TestApp;
  let queue: JobQueue;

  const jobsOf = async (queueName: Parameters<JobQueue['list']>[0], name: string): Promise<JobRecord[]> =>
    (await queue.list(queueName, { limit: 1000 })).filter((job) => job.name === name);

  beforeAll(async () => {
    // Only item similarity runs, every second; beat enqueues, nothing here runs the jobs.
    testApp = await createTestApp({
      modules: [BeatModule],
      env: {
        BEAT_SCHEDULES: JSON.stringify({ item_similarity: '* * * * * *', recall_training: 'off', item_vectors: 'off', user_profiles: 'off', precompute: 'off', cache_cleanup: 'off' }),
      },
    });
    queue = testApp.app.get(JobQueue);
    const tenants = testApp.app.get(TenantAdminUseCase);
    const scenarios = testApp.app.get(ScenariosUseCase);
    await tenants.createTenant({ tenant_id: 'shop', name: 'Shop', quotas: {} });
    await tenants.createTenant({ tenant_id: 'paused', name: 'Paused', quotas: {} });
    await scenarios.create('shop', {
      scenario_id: 'feed',
      name: 'Feed',
      scenario_type: 'ecommerce',
      description: '',
      status: 'active',
      config: {
        recall: {
          strategies: [
            { name: 'als', weight: 1, params: { factors: 16 } },
            { name: 'embedding', weight: 1, params: {} },
            { name: 'ease', weight: 1 },
            { name: 'popular', weight: 1 },
          ],
        },
      },
    });
    await scenarios.create('shop', { scenario_id: 'news', name: 'News', scenario_type: 'news', description: '', status: 'active' });
    await scenarios.create('shop', { scenario_id: 'draft', name: 'Draft', scenario_type: 'news', description: '', status: 'inactive' });
    await scenarios.create('paused', { scenario_id: 'feed', name: 'Feed', scenario_type: 'news', description: '', status: 'active' });
    await tenants.updateTenant('paused', { status: 'suspended' });
  });

  afterAll(() => testApp?.close());

  it('registers only the schedules in force', () => {
    expect(testApp.app.get(Beat).schedules()).toEqual([{ name: 'item_similarity', cron: '* * * * * *', timezone: 'UTC' }]);
  });

  it('fires the per-second schedule: one similarity job per active scenario of each active tenant and tick', async () => {
    await eventually(async () => (await jobsOf('default', 'item_similarity')).length >= 5, 10_000);
    const jobs = await jobsOf('default', 'item_similarity');
    const scenarios = new Set(jobs.map((job) => JSON.stringify(job.data)));
    expect(scenarios).toEqual(new Set([JSON.stringify({ tenant_id: 'shop', scenario_id: 'feed' }), JSON.stringify({ tenant_id: 'shop', scenario_id: 'news' })]));
    const ticks = jobs.map((job) => Number(job.job_id.split('~').at(-1)));
    // Each tick has exactly the two scenarios' jobs (the newest tick may still be enqueueing).
    const newest = Math.max(...ticks);
    const complete = [...new Set(ticks)].filter((tick) => tick !== newest);
    expect(complete.length).toBeGreaterThan(0);
    for (const tick of complete) expect(ticks.filter((t) => t === tick)).toHaveLength(2);
    expect(jobs[0].job_id).toMatch(/^beat~item_similarity~shop~(feed|news)~\d+$/);
  });

  it('a second fire of one tick enqueues nothing new (job ids carry the tick)', async () => {
    const scheduled = testApp.app.get(ScheduledJobs);
    const tick = new Date('2030-01-01T03:00:00Z');
    const first = await scheduled.enqueueTick('item_vectors', tick);
    const again = await scheduled.enqueueTick('item_vectors', tick);
    expect(first).toEqual({ scenarios: 2, enqueued: 2, failures: [] });
    expect(again.enqueued).toBe(2);
    const jobs = (await jobsOf('item_processing', 'scenario_item_vectors')).filter((job) => job.job_id.endsWith(`~${tick.getTime()}`));
    expect(jobs).toHaveLength(2);
  });

  it('trains each model-backed strategy of a scenario once per tick; embedding trains als with VECTOR_DIM factors', async () => {
    const tick = new Date('2030-01-02T03:00:00Z');
    await testApp.app.get(ScheduledJobs).enqueueTick('recall_training', tick);
    const jobs = (await jobsOf('model_training', 'recall_training')).filter((job) => job.job_id.endsWith(`~${tick.getTime()}`));
    const byId = Object.fromEntries(jobs.map((job) => [job.job_id, job.data]));
    expect(byId).toEqual({
      [`beat~recall_training~shop~feed~als~${tick.getTime()}`]: { tenant_id: 'shop', scenario_id: 'feed', algorithm: 'als', params: { factors: testApp.config.vectorDimension }, deploy: true },
      [`beat~recall_training~shop~feed~ease~${tick.getTime()}`]: { tenant_id: 'shop', scenario_id: 'feed', algorithm: 'ease', params: {}, deploy: true },
    });
  });

  it('enqueues user profiles (queue user_profile) and precompute (queue default) once per active scenario and tick', async () => {
    const tick = new Date('2030-01-03T04:00:00Z');
    const scheduled = testApp.app.get(ScheduledJobs);
    expect(await scheduled.enqueueTick('user_profiles', tick)).toEqual({ scenarios: 2, enqueued: 2, failures: [] });
    expect(await scheduled.enqueueTick('precompute', tick)).toEqual({ scenarios: 2, enqueued: 2, failures: [] });
    const ofTick = (jobs: JobRecord[]) => jobs.filter((job) => job.job_id.endsWith(`~${tick.getTime()}`)).map((job): [string, unknown] => [job.job_id, job.data]);
    expect(new Map(ofTick(await jobsOf('user_profile', 'user_profiles')))).toEqual(
      new Map([
        [`beat~user_profiles~shop~feed~${tick.getTime()}`, { tenant_id: 'shop', scenario_id: 'feed' }],
        [`beat~user_profiles~shop~news~${tick.getTime()}`, { tenant_id: 'shop', scenario_id: 'news' }],
      ]),
    );
    expect(new Map(ofTick(await jobsOf('default', 'precompute')))).toEqual(
      new Map([
        [`beat~precompute~shop~feed~${tick.getTime()}`, { tenant_id: 'shop', scenario_id: 'feed' }],
        [`beat~precompute~shop~news~${tick.getTime()}`, { tenant_id: 'shop', scenario_id: 'news' }],
      ]),
    );
  });

  it('enqueues one cache cleanup per tick for the whole deployment, not one per scenario or tenant', async () => {
    const tick = new Date('2030-01-04T04:00:00Z');
    const scheduled = testApp.app.get(ScheduledJobs);
    expect((await scheduled.enqueueTick('cache_cleanup', tick)).enqueued).toBe(1);
    await scheduled.enqueueTick('cache_cleanup', tick);
    const jobs = (await jobsOf('default', 'cache_cleanup')).filter((job) => job.job_id.endsWith(`~${tick.getTime()}`));
    expect(jobs.map((job) => [job.job_id, job.data])).toEqual([[`beat~cache_cleanup~${tick.getTime()}`, { tenant_id: null }]]);
  });
});
