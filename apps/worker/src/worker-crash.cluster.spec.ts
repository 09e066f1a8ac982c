import { generateSyntheticDataset } from '@lemo/synthetic';
import { AppCluster, CLUSTER_ADMIN_KEY, eventually, type AppProcess } from '@lemo/testing';

/**
 * The worker's fault tolerance with real processes: the api and workers run
 * from the dist build on the cluster profile (MongoDB, Redis/Bull, Kafka,
 * Milvus, ClickHouse of the dev stack). A worker SIGKILLed mid-training leaves
 * its job to the next worker, which completes it with one model version; a
 * worker SIGTERMed mid-training finishes the job before it exits, and the
 * worker started beside it never runs it again; a job that keeps failing ends
 * in the failed list with its reason. Bull's locks are shortened
 * (BULL_LOCK_DURATION_MS / BULL_STALLED_INTERVAL_MS) so a dead worker's job is
 * taken again within seconds rather than Bull's 30 s.
 */
interface JobBody {
  job_id: string;
  status: string;
  progress: number;
  stage: string;
  attempts_made: number;
  max_attempts: number;
  failed_reason: string | null;
  created_at: number;
  result: { model_id?: string; version?: string } | null;
}

interface ModelBody {
  deployed_version: string | null;
  versions: Array<{ version: string; status: string; training_run?: string }>;
}

/** Enough ALS work to take several seconds after the scan, so the test can act while the job is in its `training` stage. */
const TRAINING = { scenario_id: 'shop', algorithm: 'als', params: { factors: 96, iterations: 40 } };

describe('worker processes: a job survives its worker', () => {
  const cluster = new AppCluster({ name: 'worker', env: { BULL_LOCK_DURATION_MS: '3000', BULL_STALLED_INTERVAL_MS: '1000' } });
  let api: AppProcess;
  let firstWorker: AppProcess;
  let auth: Record<string, string>;
  let failing: JobBody;

  const call = async <T>(method: string, path: string, body?: unknown, headers = auth): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const ok = async <T>(method: string, path: string, body?: unknown, headers = auth): Promise<T> => {
    const response = await call<T>(method, path, body, headers);
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const job = (jobId: string) => ok<JobBody>('GET', `/api/v1/jobs/model_training/${encodeURIComponent(jobId)}`);
  /** Trained-model log lines of a process ('recall model trained' is logged once per completed training job). */
  const trainedIn = (worker: AppProcess) => worker.logTail(100_000).split('\n').filter((line) => line.includes('"recall model trained"')).length;

  /** Polls the job until it runs its training stage; fails if it finished first (then the training is too short to test). */
  async function untilTraining(jobId: string): Promise<JobBody> {
    let seen: JobBody | undefined;
    await eventually(
      async () => {
        seen = await job(jobId);
        if (seen.status === 'completed' || seen.status === 'failed') throw new Error(`the job ended (${seen.status}) before it could be interrupted: make TRAINING longer`);
        return seen.status === 'active' && seen.stage === 'training' && seen.progress > 30;
      },
      180_000,
      50,
    );
    return seen!;
  }

  /** Timings of the slow steps, on stdout: where a run spends its time on a loaded machine. */
  const started = Date.now();
  const step = (what: string) => process.stdout.write(`worker cluster: ${what} at ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  beforeAll(async () => {
    [api, firstWorker] = await Promise.all([cluster.start('api'), cluster.start('worker')]);
    step('api and worker ready');
    const admin = { 'X-Api-Key': CLUSTER_ADMIN_KEY };
    await ok('POST', '/api/v1/tenants', { tenant_id: 'acme', name: 'Acme' }, admin);
    const key = await ok<{ api_key: string }>('POST', '/api/v1/tenants/acme/api-keys', { name: 'test', scopes: ['admin'] }, admin);
    auth = { 'X-Api-Key': key.api_key };
    await ok('POST', '/api/v1/scenarios', { scenario_id: 'shop', name: 'Shop', scenario_type: 'ecommerce' });
    await ok('POST', '/api/v1/scenarios', { scenario_id: 'empty', name: 'Empty', scenario_type: 'ecommerce' });
    // Training reads events only: the items themselves are not needed (nor their vectors computed).
    const data = generateSyntheticDataset({ seed: 7, items: 300, users: 400, events: 2000, scenarioId: 'shop' });
    step('tenant and scenarios created');
    for (let i = 0; i < data.events.length; i += 1000) await ok('POST', '/api/v1/behaviors/track/batch', { events: data.events.slice(i, i + 1000) });
    step(`${data.events.length} events tracked`);
    // Queued first, so that its retry backoff (30 s) runs while the other tests do: a scenario without events cannot train.
    failing = await ok<JobBody>('POST', '/api/v1/jobs', { job: 'recall_training', scenario_id: 'empty', algorithm: 'ease' });
  });

  afterAll(async () => {
    await cluster.stopAll();
    await cluster.wipeData();
  });

  it('re-runs the job of a worker SIGKILLed mid-training on the next worker: it completes with one model version', async () => {
    const first = firstWorker;
    const queued = await ok<JobBody>('POST', '/api/v1/models/train', TRAINING);
    const running = await untilTraining(queued.job_id);
    expect(running).toMatchObject({ attempts_made: 1, max_attempts: 2 });
    step(`training at ${running.progress}%: SIGKILL`);

    expect(await first.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    // Nobody runs it now: Bull still lists it as active until its lock lapses and a worker moves it back.
    expect((await job(queued.job_id)).status).toBe('active');

    const second = await cluster.start('worker');
    step('next worker ready');
    await eventually(async () => (await job(queued.job_id)).status === 'completed', 240_000, 200);
    step('job completed');
    const done = await job(queued.job_id);
    // The crash cost no attempt (the job never failed) and left no error behind.
    expect(done).toMatchObject({ status: 'completed', progress: 100, stage: 'done', attempts_made: 1, max_attempts: 2, failed_reason: null });
    expect(done.result).toMatchObject({ model_id: 'shop.als', version: 'v1' });
    const model = await ok<ModelBody>('GET', '/api/v1/models/shop.als');
    expect(model.versions.map((v) => [v.version, v.status, v.training_run])).toEqual([['v1', 'deployed', `model_training/${queued.job_id}@${done.created_at}`]]);
    expect(model.deployed_version).toBe('v1');
    expect([trainedIn(first), trainedIn(second)]).toEqual([0, 1]);
  });

  it('loses no job to a SIGTERM mid-training: the job completes once, by the stopping worker or the one started beside it', async () => {
    const [stopping] = cluster.started.filter((p) => p.app === 'worker' && p.running);
    const before = trainedIn(stopping);
    const queued = await ok<JobBody>('POST', '/api/v1/models/train', TRAINING);
    const running = await untilTraining(queued.job_id);
    step(`training at ${running.progress}%: SIGTERM`);

    // Generous: the stopping worker first finishes its job (graceful shutdown), however slow the machine.
    const exited = stopping.stop(300_000);
    const next = await cluster.start('worker');
    // Nest re-raises the signal once its shutdown hooks have run: exiting by SIGTERM (not our SIGKILL) is the graceful path.
    expect(await exited).toEqual({ code: null, signal: 'SIGTERM' });
    step('stopped worker exited');
    await eventually(async () => (await job(queued.job_id)).status === 'completed', 240_000, 200);
    const done = await job(queued.job_id);
    expect(done).toMatchObject({ status: 'completed', progress: 100, attempts_made: 1, failed_reason: null, result: { model_id: 'shop.als', version: 'v2' } });
    // Had the job been left behind as stalled, the next worker (up and polling) takes it within the 3 s lock + 1 s checks.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(trainedIn(stopping) - before + trainedIn(next)).toBe(1);
    const model = await ok<ModelBody>('GET', '/api/v1/models/shop.als');
    expect(model.versions.map((v) => v.version)).toEqual(['v1', 'v2']);
    expect((await job(queued.job_id)).status).toBe('completed');
    step('SIGTERM case done');
  });

  it('retries a failing job with backoff, then lists it as failed with the reason, over /api/v1/jobs', async () => {
    await eventually(async () => (await job(failing.job_id)).status === 'failed', 120_000, 500);
    const failed = await job(failing.job_id);
    expect(failed).toMatchObject({ status: 'failed', attempts_made: 2, max_attempts: 2 });
    expect(failed.failed_reason).toMatch(/too few positive events/);
    const listed = await ok<{ items: JobBody[] }>('GET', '/api/v1/jobs?queue=model_training&status=failed');
    expect(listed.items.map((j) => [j.job_id, j.failed_reason])).toEqual([[failing.job_id, failed.failed_reason]]);
  });
});
