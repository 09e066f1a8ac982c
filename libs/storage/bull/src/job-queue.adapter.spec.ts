import { eventually, gate, sleep } from '@lemo/domain/testing';
import { closeAndWipe, openIsolated, quietLogs } from '../testing/bull-harness';
import type { Queue } from 'bull';
import type { BullStorage } from './bull-storage';

beforeAll(quietLogs);

/** The settings a Bull queue runs with (set at construction; Bull's typings leave the field out). */
const settingsOf = (queue: Queue): object => (queue as unknown as { settings: object }).settings;

describe('BullJobQueue', () => {
  let producer: BullStorage;
  let worker: BullStorage;

  beforeEach(() => {
    producer = openIsolated();
    worker = openIsolated({ prefix: producer.options.prefix });
  });
  afterEach(() => closeAndWipe(producer, worker));

  it("keeps jobs in Bull's layout under the operator-visible queue names", async () => {
    await producer.jobQueue.enqueue('model_training', 'train', { scenario: 'home' }, { jobId: 'train-home' });
    const bull = producer.queues.model_training;
    expect(bull.name).toBe('model_training');
    expect(bull.toKey('train-home')).toBe(`${producer.options.prefix}:model_training:train-home`);
    expect(await bull.getWaitingCount()).toBe(1);
    expect((await bull.getJob('train-home'))?.opts).toMatchObject({ attempts: 1, backoff: { type: 'doubling', options: { delayMs: 1000 } } });
    // Bull's defaults unless configured: a dead worker's job runs again once its lock lapsed, at most once.
    expect(settingsOf(bull)).toMatchObject({ lockDuration: 30_000, stalledInterval: 30_000, maxStalledCount: 1 });
  });

  it('takes the job lock settings that bound how soon a dead worker\'s job runs again', async () => {
    const quick = openIsolated({ lockDurationMs: 2000, stalledIntervalMs: 500 });
    try {
      expect(settingsOf(quick.queues.model_training)).toMatchObject({ lockDuration: 2000, lockRenewTime: 1000, stalledInterval: 500, maxStalledCount: 1 });
    } finally {
      await closeAndWipe(quick);
    }
    expect(() => openIsolated({ lockDurationMs: 0 })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('runs in another process what one enqueued, and lets that process cancel it there', async () => {
    const started = gate();
    worker.jobQueue.process('model_training', 'train', async ({ reportProgress, isCancelled }) => {
      await reportProgress(10, 'loading events');
      started.open();
      await eventually(() => expect(isCancelled()).toBe(true));
      await reportProgress(20);
    });
    await producer.jobQueue.enqueue('model_training', 'train', {}, { jobId: 'j1', attempts: 3 });
    await started.promise;
    const running = await producer.jobQueue.get('model_training', 'j1');
    expect(running).toMatchObject({ status: 'active', progress: 10, stage: 'loading events', attempts_made: 1 });
    expect(await producer.jobQueue.cancel('model_training', 'j1')).toBe(true);
    await eventually(async () => expect((await producer.jobQueue.get('model_training', 'j1'))?.status).toBe('cancelled'));
    expect(await producer.jobQueue.get('model_training', 'j1')).toMatchObject({
      progress: 20,
      stage: 'loading events',
      failed_reason: 'cancelled',
      attempts_made: 1,
    });
    expect((await producer.queues.model_training.getJob('j1'))?.progress()).toEqual({ percent: 20, stage: 'loading events' });
  });

  it('lists jobs newest first, telling cancelled jobs from failed ones', async () => {
    worker.jobQueue.process('default', 'ok', async () => 'done');
    worker.jobQueue.process('default', 'boom', async () => {
      throw new Error('boom');
    });
    await producer.jobQueue.enqueue('default', 'ok', {}, { jobId: 'ok' });
    await sleep(5);
    await producer.jobQueue.enqueue('default', 'boom', {}, { jobId: 'boom' });
    await eventually(async () => expect(await producer.jobQueue.list('default', { status: 'failed', limit: 10 })).toHaveLength(1));
    await sleep(5);
    await producer.jobQueue.enqueue('default', 'parked', {}, { jobId: 'parked', delayMs: 60_000 });
    await sleep(5);
    await producer.jobQueue.enqueue('default', 'parked', {}, { jobId: 'dropped', delayMs: 60_000 });
    expect(await producer.jobQueue.cancel('default', 'dropped')).toBe(true);
    const all = await producer.jobQueue.list('default', { limit: 10 });
    expect(all.map((job) => [job.job_id, job.status])).toEqual([
      ['dropped', 'cancelled'],
      ['parked', 'delayed'],
      ['boom', 'failed'],
      ['ok', 'completed'],
    ]);
    expect((await producer.jobQueue.list('default', { status: 'cancelled', limit: 10 })).map((job) => job.job_id)).toEqual(['dropped']);
    expect((await producer.jobQueue.list('default', { status: 'failed', limit: 10 })).map((job) => job.failed_reason)).toEqual(['boom']);
    expect(await producer.jobQueue.list('default', { limit: 2 })).toHaveLength(2);
  });

  it('runs as many jobs of a queue at once as its largest concurrency, across job names', async () => {
    let running = 0;
    let peak = 0;
    const work = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await sleep(60);
      running -= 1;
    };
    // Enqueued before the handlers exist, so that both slots can fill at once however slow the enqueues are.
    for (let i = 0; i < 8; i++) await producer.jobQueue.enqueue('item_processing', i % 2 ? 'vectorise' : 'thumbnail', {}, { jobId: `j${i}` });
    worker.jobQueue.process('item_processing', 'vectorise', work, 2);
    worker.jobQueue.process('item_processing', 'thumbnail', work, 1);
    await eventually(async () => expect(await producer.jobQueue.list('item_processing', { status: 'completed', limit: 10 })).toHaveLength(8), 15_000);
    expect(peak).toBe(2);
  });

  it('refuses a second handler for one name, and any enqueue once closed', async () => {
    worker.jobQueue.process('default', 'once', async () => undefined);
    expect(() => worker.jobQueue.process('default', 'once', async () => undefined)).toThrow(expect.objectContaining({ code: 'ALREADY_EXISTS' }));
    await producer.jobQueue.close();
    await expect(producer.jobQueue.enqueue('default', 'once', {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it("rejects an attempt budget below one, and job ids that would overwrite Bull's own keys", async () => {
    await expect(producer.jobQueue.enqueue('default', 'x', {}, { attempts: 0 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    for (const jobId of ['delayed', 'wait', 'id', 'j1:lock', 'de:x']) {
      await expect(producer.jobQueue.enqueue('default', 'x', {}, { jobId })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    expect(await producer.jobQueue.get('default', 'delayed')).toBeNull();
    expect(await producer.jobQueue.cancel('default', 'wait')).toBe(false);
    expect((await producer.jobQueue.enqueue('default', 'x', {}, { jobId: 'train:home:2026-01-01' })).status).toBe('waiting');
  });
});
