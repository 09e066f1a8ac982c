import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ScenariosUseCase, TenantAdminUseCase } from '@lemo/application';
import { JobQueue, type JobRecord } from '@lemo/domain';
import { processEnvironment } from '@lemo/platform-config';
import { createTestApp, eventually, freePort, requireBackend, uniqueName, type TestApp } from '@lemo/testing';

/**
 * Two beat processes (real OS processes, each with its own connections) on the
 * cluster profile, sharing Redis and MongoDB, with item similarity firing every
 * second. Proves from both processes' own logs that every tick was fired by
 * exactly one of them, and from Bull that each tick enqueued exactly one job
 * per active scenario. The same for a per-scenario schedule: one scenario
 * precomputes every minute by its own config (the deployment's precompute is
 * off), so the processes run until a minute's check of scenario schedules fired.
 */
const WORKSPACE = join(__dirname, '../../..');
const LOADER = join(__dirname, '../testing/typescript-source-loader.cjs');
const MAIN = join(__dirname, 'main.ts');
const RUN_MS = 6_000;

interface BeatProcess {
  child: ChildProcess;
  port: number;
  output: string[];
  exited: Promise<number | null>;
}


/** Ticks a process fired, from its JSON log lines with this message (tick ISO times). */
const firedTicks = (beat: BeatProcess, message = 'beat tick enqueued'): string[] =>
  beat.output
    .join('')
    .split('\n')
    .filter((line) => line.includes(`"${message}"`))
    .map((line) => (JSON.parse(line) as { tick: string }).tick);

describe('two beat processes', () => {
  const isolation = { STORAGE_NAMESPACE: uniqueName('beat'), MONGODB_DATABASE: uniqueName('lemo_beat') };
  const env = {
    ...processEnvironment(),
    PROFILE: 'cluster',
    ADMIN_API_KEY: 'beat-test-admin-key-0123456789',
    // Beat touches neither vectors nor analytics: embedded ones leave no Milvus collection or ClickHouse database behind.
    VECTOR_INDEX_DRIVER: 'embedded',
    ANALYTICS_DRIVER: 'embedded',
    DATA_DIR: ':memory:',
    LOG_LEVEL: 'info',
    BEAT_SCHEDULES: JSON.stringify({ item_similarity: '* * * * * *', recall_training: 'off', item_vectors: 'off', user_profiles: 'off', precompute: 'off', cache_cleanup: 'off' }),
    ...isolation,
  };
  let setup: TestApp;
  const beats: BeatProcess[] = [];

  const startBeat = async (): Promise<BeatProcess> => {
    const port = await freePort();
    const child = spawn(process.execPath, ['-r', LOADER, MAIN], { cwd: WORKSPACE, env: { ...env, HEALTH_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
    return { child, port, output, exited };
  };

  beforeAll(async () => {
    requireBackend('redis');
    requireBackend('mongodb');
    // The data the beats walk: one active tenant with two active scenarios and one inactive one, in the shared MongoDB.
    setup = await createTestApp({ modules: [], env: { PROFILE: 'cluster', ADMIN_API_KEY: env.ADMIN_API_KEY, VECTOR_INDEX_DRIVER: 'embedded', ANALYTICS_DRIVER: 'embedded', ...isolation } });
    await setup.app.get(TenantAdminUseCase).createTenant({ tenant_id: 'acme', name: 'Acme', quotas: {} });
    const scenarios = setup.app.get(ScenariosUseCase);
    await scenarios.create('acme', { scenario_id: 'feed', name: 'Feed', scenario_type: 'ecommerce', description: '', status: 'active' });
    await scenarios.create('acme', { scenario_id: 'news', name: 'News', scenario_type: 'news', description: '', status: 'active', config: { schedules: { precompute: '* * * * *' } } });
    await scenarios.create('acme', { scenario_id: 'draft', name: 'Draft', scenario_type: 'news', description: '', status: 'inactive' });
  });

  afterAll(async () => {
    for (const beat of beats) if (beat.child.exitCode === null) beat.child.kill('SIGKILL');
    await setup?.close();
    const redis = new Redis(requireBackend('redis').url);
    try {
      for await (const keys of redis.scanStream({ match: `${isolation.STORAGE_NAMESPACE}*`, count: 1000 }))
        if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
    } finally {
      redis.disconnect();
    }
  });

  const jobsNamed = async (name: string): Promise<JobRecord[]> => (await setup.app.get(JobQueue).list('default', { limit: 5000 })).filter((job) => job.name === name);
  const tickOf = (job: JobRecord): string => new Date(Number(job.job_id.split('~').at(-1))).toISOString();

  it('fires each tick exactly once and enqueues one job per active scenario per tick, for a per-scenario schedule too', async () => {
    beats.push(await startBeat(), await startBeat());
    for (const beat of beats) {
      await eventually(
        async () => {
          if (beat.child.exitCode !== null) throw new Error(`beat exited early:\n${beat.output.join('')}`);
          return (await fetch(`http://127.0.0.1:${beat.port}/health/live`).catch(() => null))?.ok === true;
        },
        30_000,
        200,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, RUN_MS));
    // Until a minute's check of scenario schedules enqueued news' precompute (at most a minute away).
    await eventually(async () => (await jobsNamed('precompute')).length > 0, 75_000, 500);
    // Graceful stop: the scheduler stops and waits for a tick being enqueued.
    for (const beat of beats) beat.child.kill('SIGTERM');
    await Promise.all(beats.map((beat) => beat.exited));

    const [first, second] = beats.map((beat) => firedTicks(beat));
    const fired = [...first, ...second];
    const ticks = new Set(fired);
    process.stdout.write(`two beats: process A fired ${first.length} ticks, process B ${second.length}; ${ticks.size} distinct ticks, ${fired.length - ticks.size} fired twice\n`);
    expect(ticks.size).toBeGreaterThanOrEqual(RUN_MS / 1000 - 1);
    expect(fired).toHaveLength(ticks.size);

    const jobs = await jobsNamed('item_similarity');
    const perTick = new Map<string, JobRecord[]>();
    for (const job of jobs) perTick.set(tickOf(job), [...(perTick.get(tickOf(job)) ?? []), job]);
    expect(new Set(perTick.keys())).toEqual(ticks);
    for (const [, tickJobs] of perTick) {
      expect(tickJobs.map((job) => job.data).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
        { tenant_id: 'acme', scenario_id: 'feed' },
        { tenant_id: 'acme', scenario_id: 'news' },
      ]);
    }
    process.stdout.write(`two beats: ${jobs.length} item_similarity jobs in Bull over ${perTick.size} ticks (2 active scenarios)\n`);

    // The per-minute check: each minute fired by one process, and one precompute job of news (the only scenario with it) per minute.
    const checked = beats.flatMap((beat) => firedTicks(beat, 'beat scenario schedules enqueued'));
    expect(checked.length).toBeGreaterThan(0);
    expect(new Set(checked).size).toBe(checked.length);
    const precompute = await jobsNamed('precompute');
    expect(precompute.map((job) => job.data)).toEqual(checked.map(() => ({ tenant_id: 'acme', scenario_id: 'news' })));
    expect(new Set(precompute.map(tickOf))).toEqual(new Set(checked));
    process.stdout.write(`two beats: ${checked.length} minute check(s) of scenario schedules, ${precompute.length} precompute job(s) of news\n`);
  }, 150_000);
});
