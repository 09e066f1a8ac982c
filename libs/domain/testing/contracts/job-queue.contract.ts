import type { JobQueue, JobRecord } from '../../src/index';
import { eventually, gate, sleep } from '../assertions';
import { useHarness, type HarnessFactory } from '../harness';

/** Timers may fire a little early; lower bounds on delays allow this much. */
const TIMER_SLACK_MS = 15;
const QUIET_MS = 300;
/** Generous: a loaded CI machine can delay a queue's polling and timers by seconds. */
const SETTLE_MS = 15_000;

export function jobQueueContract(name: string, create: HarnessFactory<JobQueue>): void {
  describe(`JobQueue contract (${name})`, () => {
    const queue = useHarness(create);
    const statusOf = async (jobId: string) => (await queue().get('default', jobId))?.status;
    const until = (jobId: string, status: JobRecord['status']) => eventually(async () => expect(await statusOf(jobId)).toBe(status), SETTLE_MS);

    it('records an enqueued job as waiting, with its data and attempt budget', async () => {
      const job = await queue().enqueue('default', 'rebuild', { tenant: 'acme', n: 1 }, { jobId: 'j1', attempts: 3 });
      expect(job).toMatchObject({
        queue: 'default',
        job_id: 'j1',
        name: 'rebuild',
        data: { tenant: 'acme', n: 1 },
        status: 'waiting',
        attempts_made: 0,
        max_attempts: 3,
        progress: 0,
      });
      expect(await queue().get('default', 'j1')).toMatchObject({ job_id: 'j1', status: 'waiting' });
      expect(await queue().get('model_training', 'j1')).toBeNull();
      expect((await queue().list('default', { status: 'waiting', limit: 10 })).map((j) => j.job_id)).toEqual(['j1']);
      expect(await queue().list('default', { status: 'completed', limit: 10 })).toEqual([]);
    });

    it('runs a job with its handler and stores the result and progress', async () => {
      queue().process<{ n: number }>('default', 'double', async ({ job, reportProgress }) => {
        await reportProgress(50, 'halfway');
        return { doubled: job.data.n * 2 };
      });
      await queue().enqueue('default', 'double', { n: 21 }, { jobId: 'j1' });
      await until('j1', 'completed');
      const done = await queue().get('default', 'j1');
      expect(done).toMatchObject({ result: { doubled: 42 }, attempts_made: 1, stage: 'halfway', failed_reason: null });
      expect(done?.started_at).not.toBeNull();
      expect(done?.finished_at).not.toBeNull();
    });

    it('retries a failing job with exponential backoff, then completes it', async () => {
      const startedAt: number[] = [];
      queue().process('default', 'flaky', async () => {
        startedAt.push(Date.now());
        if (startedAt.length < 3) throw new Error(`attempt ${startedAt.length} failed`);
        return 'ok';
      });
      await queue().enqueue('default', 'flaky', {}, { jobId: 'j1', attempts: 3, backoffMs: 100 });
      await until('j1', 'completed');
      expect(await queue().get('default', 'j1')).toMatchObject({ attempts_made: 3, result: 'ok' });
      expect(startedAt[1] - startedAt[0]).toBeGreaterThanOrEqual(100 - TIMER_SLACK_MS);
      expect(startedAt[2] - startedAt[1]).toBeGreaterThanOrEqual(200 - TIMER_SLACK_MS);
    });

    it('fails a job for good once its attempts are used up, keeping the reason', async () => {
      let runs = 0;
      queue().process('default', 'broken', async () => {
        runs += 1;
        throw new Error('model file missing');
      });
      await queue().enqueue('default', 'broken', {}, { jobId: 'j1', attempts: 2, backoffMs: 10 });
      await until('j1', 'failed');
      expect(await queue().get('default', 'j1')).toMatchObject({ attempts_made: 2, failed_reason: 'model file missing' });
      await sleep(QUIET_MS);
      expect(runs).toBe(2);
    });

    it('holds a delayed job until its delay has passed', async () => {
      const ranAt: number[] = [];
      queue().process('default', 'later', async () => void ranAt.push(Date.now()));
      const enqueuedAt = Date.now();
      const job = await queue().enqueue('default', 'later', {}, { jobId: 'j1', delayMs: 300 });
      expect(job.status).toBe('delayed');
      await until('j1', 'completed');
      expect(ranAt[0] - enqueuedAt).toBeGreaterThanOrEqual(300 - TIMER_SLACK_MS);
    });

    it('deduplicates by jobId while a job is waiting or active, but not once it finished', async () => {
      const held = gate();
      const seen: number[] = [];
      await queue().enqueue('default', 'sync', { n: 1 }, { jobId: 'same' });
      const duplicate = await queue().enqueue('default', 'sync', { n: 2 }, { jobId: 'same' });
      expect(duplicate.data).toEqual({ n: 1 });
      expect(await queue().list('default', { limit: 10 })).toHaveLength(1);
      queue().process<{ n: number }>('default', 'sync', async ({ job }) => {
        seen.push(job.data.n);
        if (job.data.n === 1) await held.promise;
      });
      await until('same', 'active');
      await queue().enqueue('default', 'sync', { n: 3 }, { jobId: 'same' });
      held.open();
      await until('same', 'completed');
      await queue().enqueue('default', 'sync', { n: 4 }, { jobId: 'same' });
      await eventually(() => expect(seen).toEqual([1, 4]));
    });

    it('cancels a waiting job so that it never runs', async () => {
      await queue().enqueue('default', 'cancel-me', {}, { jobId: 'j1' });
      expect(await queue().cancel('default', 'j1')).toBe(true);
      let ran = false;
      queue().process('default', 'cancel-me', async () => void (ran = true));
      await sleep(QUIET_MS);
      expect(ran).toBe(false);
      expect(await statusOf('j1')).toBe('cancelled');
      expect(await queue().cancel('default', 'j1')).toBe(false);
      expect(await queue().cancel('default', 'unknown')).toBe(false);
    });

    it('flags an active job as cancelled for its handler, and records it as cancelled', async () => {
      const started = gate();
      queue().process('default', 'long', async ({ isCancelled }) => {
        started.open();
        await eventually(() => expect(isCancelled()).toBe(true));
        return 'stopped early';
      });
      await queue().enqueue('default', 'long', {}, { jobId: 'j1', attempts: 3 });
      await started.promise;
      expect(await queue().cancel('default', 'j1')).toBe(true);
      await until('j1', 'cancelled');
      expect((await queue().get('default', 'j1'))?.attempts_made).toBe(1);
    });

    it('refuses to cancel a finished job', async () => {
      queue().process('default', 'quick', async () => 1);
      await queue().enqueue('default', 'quick', {}, { jobId: 'j1' });
      await until('j1', 'completed');
      expect(await queue().cancel('default', 'j1')).toBe(false);
      expect(await statusOf('j1')).toBe('completed');
    });

    it('reports the depth of a queue: waiting, delayed and active jobs, each queue on its own', async () => {
      expect(await queue().depth('default')).toEqual({ waiting: 0, delayed: 0, active: 0 });
      await queue().enqueue('default', 'now', {}, { jobId: 'w1' });
      await queue().enqueue('default', 'now', {}, { jobId: 'w2' });
      await queue().enqueue('default', 'later', {}, { jobId: 'd1', delayMs: 60_000 });
      expect(await queue().depth('default')).toEqual({ waiting: 2, delayed: 1, active: 0 });
      expect(await queue().depth('model_training')).toEqual({ waiting: 0, delayed: 0, active: 0 });
      const running = gate();
      // One at a time (the default concurrency): one job runs, the other still waits.
      queue().process('default', 'now', () => running.promise);
      await eventually(async () => expect(await queue().depth('default')).toEqual({ waiting: 1, delayed: 1, active: 1 }), SETTLE_MS);
      running.open();
      await eventually(async () => expect(await queue().depth('default')).toEqual({ waiting: 0, delayed: 1, active: 0 }), SETTLE_MS);
    });

    it('runs at most `concurrency` jobs of a queue at once', async () => {
      let running = 0;
      let peak = 0;
      // Enqueued before the handler exists, so that both slots can fill at once however slow the enqueues are.
      for (let i = 0; i < 6; i++) await queue().enqueue('item_processing', 'vectorise', { i }, { jobId: `j${i}` });
      queue().process(
        'item_processing',
        'vectorise',
        async () => {
          running += 1;
          peak = Math.max(peak, running);
          await sleep(50);
          running -= 1;
        },
        2,
      );
      await eventually(async () => expect(await queue().list('item_processing', { status: 'completed', limit: 10 })).toHaveLength(6), SETTLE_MS);
      expect(peak).toBe(2);
    });

    it("routes jobs by queue and name: a handler never sees another queue's or name's jobs", async () => {
      const seen: string[] = [];
      queue().process('user_profile', 'profile', async ({ job }) => void seen.push(`${job.queue}/${job.name}`));
      await queue().enqueue('default', 'profile', {}, { jobId: 'other-queue' });
      await queue().enqueue('user_profile', 'not-profile', {}, { jobId: 'other-name' });
      await queue().enqueue('user_profile', 'profile', {}, { jobId: 'mine' });
      await eventually(() => expect(seen).toEqual(['user_profile/profile']));
      await sleep(QUIET_MS);
      expect(seen).toEqual(['user_profile/profile']);
      expect(await statusOf('other-queue')).toBe('waiting');
    });

    it('waits for active handlers when closed', async () => {
      let finished = false;
      queue().process('default', 'slow', async () => {
        await sleep(200);
        finished = true;
      });
      await queue().enqueue('default', 'slow', {}, { jobId: 'j1' });
      await until('j1', 'active');
      await queue().close();
      expect(finished).toBe(true);
    });
  });
}
