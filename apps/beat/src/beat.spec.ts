import { Beat, BeatModule, ScenariosUseCase, ScheduledJobs, TenantAdminUseCase, resolveSchedules } from '@lemo/application';
import { JobQueue, Scheduler, type JobRecord, type ScheduleDefinition } from '@lemo/domain';
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

/**
 * Records what beat registers instead of timing it, so the test fires each
 * tick itself: the check of the scenarios' own schedules runs every minute,
 * too slow to wait for. The real schedulers' exactly-once firing is their
 * contract suites' and two-beats.cluster.spec.ts's business.
 */
class RecordingScheduler extends Scheduler {
  readonly registered = new Map<string, { definition: ScheduleDefinition; fire: (tickAt: Date) => Promise<void> }>();

  schedule(definition: ScheduleDefinition, fire: (tickAt: Date) => Promise<void>): void {
    this.registered.set(definition.name, { definition, fire });
  }

  async close(): Promise<void> {
    this.registered.clear();
  }

  fire(name: string, tickAt: Date): Promise<void> {
    const schedule = this.registered.get(name);
    if (!schedule) throw new Error(`no schedule '${name}' registered`);
    return schedule.fire(tickAt);
  }
}

describe('per-scenario schedules (embedded profile)', () => {
  let testApp: TestApp;
  let queue: JobQueue;
  const scheduler = new RecordingScheduler();

  /** The jobs of one tick: job id → data. */
  const jobsOfTick = async (queueName: Parameters<JobQueue['list']>[0], name: string, tick: Date): Promise<Map<string, unknown>> =>
    new Map(
      (await queue.list(queueName, { limit: 1000 }))
        .filter((job) => job.name === name && job.job_id.endsWith(`~${tick.getTime()}`))
        .map((job): [string, unknown] => [job.job_id, job.data]),
    );

  beforeAll(async () => {
    testApp = await createTestApp({ modules: [BeatModule], env: { SCHEDULER_TIMEZONE: 'Europe/Berlin' }, overrides: [{ provide: Scheduler, useValue: scheduler }] });
    queue = testApp.app.get(JobQueue);
    await testApp.app.get(TenantAdminUseCase).createTenant({ tenant_id: 'shop', name: 'Shop', quotas: {} });
    const scenarios = testApp.app.get(ScenariosUseCase);
    // feed: similarity every 5 minutes instead of hourly, no precompute at all.
    await scenarios.create('shop', {
      scenario_id: 'feed',
      name: 'Feed',
      scenario_type: 'ecommerce',
      description: '',
      status: 'active',
      config: { schedules: { item_similarity: '*/5 * * * *', precompute: 'off' } },
    });
    await scenarios.create('shop', { scenario_id: 'news', name: 'News', scenario_type: 'news', description: '', status: 'active' });
    // Inactive: its own schedule enqueues nothing either.
    await scenarios.create('shop', { scenario_id: 'draft', name: 'Draft', scenario_type: 'news', description: '', status: 'inactive', config: { schedules: { item_similarity: '* * * * *' } } });
  });

  afterAll(() => testApp?.close());

  it('registers the per-minute check of scenario schedules beside the deployment schedules, in the scheduler time zone', () => {
    expect([...scheduler.registered.keys()].sort()).toEqual(['cache_cleanup', 'item_similarity', 'item_vectors', 'precompute', 'recall_training', 'scenario_schedules', 'user_profiles']);
    expect(scheduler.registered.get('scenario_schedules')?.definition).toEqual({ name: 'scenario_schedules', cron: '* * * * *', timezone: 'Europe/Berlin' });
  });

  it('the deployment tick of a job skips scenarios with their own schedule of it (a cron or "off") and covers the others', async () => {
    const tick = new Date('2030-03-01T10:00:00Z');
    await scheduler.fire('item_similarity', tick);
    await scheduler.fire('precompute', tick);
    await scheduler.fire('user_profiles', tick);
    expect(await jobsOfTick('default', 'item_similarity', tick)).toEqual(new Map([[`beat~item_similarity~shop~news~${tick.getTime()}`, { tenant_id: 'shop', scenario_id: 'news' }]]));
    expect(await jobsOfTick('default', 'precompute', tick)).toEqual(new Map([[`beat~precompute~shop~news~${tick.getTime()}`, { tenant_id: 'shop', scenario_id: 'news' }]]));
    // A job the scenario does not name follows the deployment.
    expect([...(await jobsOfTick('user_profile', 'user_profiles', tick)).keys()].sort()).toEqual([
      `beat~user_profiles~shop~feed~${tick.getTime()}`,
      `beat~user_profiles~shop~news~${tick.getTime()}`,
    ]);
  });

  it('the per-minute check enqueues a scenario\'s job at the ticks of its own cron, once per tick however often it fires', async () => {
    const due = new Date('2030-03-01T10:05:00Z');
    const notDue = new Date('2030-03-01T10:06:00Z');
    await scheduler.fire('scenario_schedules', due);
    await scheduler.fire('scenario_schedules', due);
    await scheduler.fire('scenario_schedules', notDue);
    expect(await jobsOfTick('default', 'item_similarity', due)).toEqual(new Map([[`beat~item_similarity~shop~feed~${due.getTime()}`, { tenant_id: 'shop', scenario_id: 'feed' }]]));
    expect(await jobsOfTick('default', 'item_similarity', notDue)).toEqual(new Map());
    expect(await testApp.app.get(ScheduledJobs).enqueueScenarioSchedules(due)).toEqual({ scenarios: 1, enqueued: 1, failures: [] });
    // "off" is never due; news has no schedule of its own.
    expect(await jobsOfTick('default', 'precompute', due)).toEqual(new Map());
  });

  it('picks up changed scenario configs at the next tick, without a restart', async () => {
    const scenarios = testApp.app.get(ScenariosUseCase);
    // feed gives similarity back to the deployment; news precomputes every 2 minutes, in Berlin time.
    await scenarios.update('shop', 'feed', { config: { schedules: { item_similarity: null } } });
    await scenarios.update('shop', 'news', { config: { schedules: { precompute: '*/2 9 * * *' } } });
    const hourly = new Date('2030-03-01T11:00:00Z');
    await scheduler.fire('item_similarity', hourly);
    await scheduler.fire('precompute', hourly);
    await scheduler.fire('scenario_schedules', hourly);
    expect([...(await jobsOfTick('default', 'item_similarity', hourly)).keys()].sort()).toEqual([
      `beat~item_similarity~shop~feed~${hourly.getTime()}`,
      `beat~item_similarity~shop~news~${hourly.getTime()}`,
    ]);
    // Neither scenario follows the deployment's precompute now, and 11:00 UTC is 12:00 in Berlin: nothing.
    expect(await jobsOfTick('default', 'precompute', hourly)).toEqual(new Map());
    const nineBerlin = new Date('2030-03-02T08:02:00Z');
    await scheduler.fire('scenario_schedules', nineBerlin);
    expect(await jobsOfTick('default', 'precompute', nineBerlin)).toEqual(new Map([[`beat~precompute~shop~news~${nineBerlin.getTime()}`, { tenant_id: 'shop', scenario_id: 'news' }]]));
    expect(await jobsOfTick('default', 'item_similarity', nineBerlin)).toEqual(new Map());
  });
});
