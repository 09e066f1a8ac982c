import request from 'supertest';
import { JOBS } from '@lemo/application';
import { JobQueue, type JobHandler, type QueueName } from '@lemo/domain';
import { HealthHttpModule } from '@lemo/runtime';
import { createTestApp, eventually } from '@lemo/testing';
import { WorkerModule } from './index';

jest.setTimeout(30_000);

describe('worker', () => {
  it('registers a handler for every job, with the per-queue concurrency of WORKER_CONCURRENCY_<QUEUE>', async () => {
    const registered: Array<{ queue: QueueName; name: string; concurrency: number | undefined }> = [];
    const recording = {
      process: (queue: QueueName, name: string, _handler: JobHandler, concurrency?: number) => void registered.push({ queue, name, concurrency }),
      close: async () => undefined,
    };
    const t = await createTestApp({
      modules: [WorkerModule],
      env: { WORKER_CONCURRENCY_MODEL_TRAINING: '3', WORKER_CONCURRENCY_ITEM_PROCESSING: '4', WORKER_CONCURRENCY_USER_PROFILE: '2' },
      overrides: [{ provide: JobQueue, useValue: recording }],
    });
    await t.close();
    const mine = registered.filter((r) => Object.values(JOBS).some((job) => job.name === r.name));
    expect(mine.map(({ name }) => name).sort()).toEqual(Object.values(JOBS).map((job) => job.name).sort());
    expect(Object.fromEntries(mine.map((r) => [r.name, r.concurrency]))).toEqual({
      item_vectors: 4,
      scenario_item_vectors: 4,
      item_similarity: 1,
      recall_training: 3,
      ranker_training: 3,
      user_profiles: 2,
      precompute: 1,
      cache_cleanup: 1,
    });
  });

  it('reports job durations by outcome and each queue\'s depth on /metrics', async () => {
    const t = await createTestApp({ modules: [HealthHttpModule, WorkerModule] });
    try {
      const queue = t.app.get(JobQueue);
      // A scenario that does not exist: the similarity job finds no events and completes.
      await queue.enqueue(JOBS.itemSimilarity.queue, JOBS.itemSimilarity.name, { tenant_id: 'acme', scenario_id: 'nowhere', mode: 'full' }, { jobId: 'sim-1' });
      await queue.enqueue(JOBS.precompute.queue, 'not_registered_here', {}, { jobId: 'stuck', delayMs: 60_000 });
      await eventually(async () => (await queue.get(JOBS.itemSimilarity.queue, 'sim-1'))?.status === 'completed');
      const metrics = (await request(t.app.getHttpServer()).get('/metrics').expect(200)).text;
      expect(metrics).toMatch(/lemo_job_duration_seconds_count\{[^}]*queue="default",name="item_similarity",outcome="completed"[^}]*\} 1/);
      expect(metrics).toMatch(/lemo_jobs_finished_total\{[^}]*queue="default",name="item_similarity",outcome="completed"[^}]*\} 1/);
      expect(metrics).toMatch(/lemo_job_queue_depth\{[^}]*queue="default",state="delayed"[^}]*\} 1/);
      expect(metrics).toMatch(/lemo_job_queue_depth\{[^}]*queue="model_training",state="waiting"[^}]*\} 0/);
    } finally {
      await t.close();
    }
  });

  it('answers health on its port and, on shutdown, waits for the job it is running', async () => {
    const t = await createTestApp({ modules: [HealthHttpModule, WorkerModule] });
    await request(t.app.getHttpServer()).get('/health').expect(200);
    const queue = t.app.get(JobQueue);
    let finished = false;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    queue.process('user_profile', 'slow_probe', async () => {
      started();
      await new Promise((resolve) => setTimeout(resolve, 500));
      finished = true;
    });
    await queue.enqueue('user_profile', 'slow_probe', { tenant_id: 'x' });
    await running;
    await t.close();
    expect(finished).toBe(true);
  });
});
