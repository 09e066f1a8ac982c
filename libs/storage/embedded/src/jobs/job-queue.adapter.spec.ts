import { Logger } from '@nestjs/common';
import { eventually, gate } from '@lemo/domain/testing';
import { openOnDisk, temporaryDataDir } from '../../testing/embedded-harness';

beforeAll(() => Logger.overrideLogger(false));

describe('EmbeddedJobQueue', () => {
  const data = temporaryDataDir();
  afterAll(() => data.remove());

  it('keeps waiting jobs across a restart', async () => {
    const before = openOnDisk(data.dir);
    await before.jobQueue.enqueue('default', 'persisted', { n: 1 }, { jobId: 'kept' });
    await before.close();
    const after = openOnDisk(data.dir);
    after.jobQueue.process<{ n: number }>('default', 'persisted', async ({ job }) => job.data.n + 1);
    await eventually(async () => expect(await after.jobQueue.get('default', 'kept')).toMatchObject({ status: 'completed', result: 2 }));
    await after.close();
  });

  it('re-runs, at start, a job left active by a process that crashed', async () => {
    const before = openOnDisk(data.dir);
    await before.jobQueue.enqueue('model_training', 'train', {}, { jobId: 'orphan' });
    // What a crash leaves behind: an active row whose owner stopped renewing its lease.
    before.db
      .statement("UPDATE jobs SET status = 'active', attempts_made = 1, owner = 'crashed-process', lease_until = ? WHERE job_id = 'orphan'")
      .run(Date.now() - 1);
    await before.close();
    const after = openOnDisk(data.dir);
    expect((await after.jobQueue.get('model_training', 'orphan'))?.status).toBe('waiting');
    after.jobQueue.process('model_training', 'train', async () => 'trained');
    await eventually(async () => expect(await after.jobQueue.get('model_training', 'orphan')).toMatchObject({ status: 'completed', attempts_made: 2 }));
    await after.close();
  });

  it('does not take over the jobs of a live process sharing the file', async () => {
    const options = { jobQueue: { pollIntervalMs: 30, leaseMs: 150 } };
    const worker = openOnDisk(data.dir, options);
    const release = gate();
    let runs = 0;
    const slow = async () => {
      runs += 1;
      await release.promise;
    };
    worker.jobQueue.process('user_profile', 'slow', slow);
    await worker.jobQueue.enqueue('user_profile', 'slow', {}, { jobId: 'busy' });
    await eventually(async () => expect((await worker.jobQueue.get('user_profile', 'busy'))?.status).toBe('active'));
    const second = openOnDisk(data.dir, options);
    second.jobQueue.process('user_profile', 'slow', slow);
    await new Promise((resolve) => setTimeout(resolve, 600));
    release.open();
    await eventually(async () => expect((await worker.jobQueue.get('user_profile', 'busy'))?.status).toBe('completed'));
    expect(runs).toBe(1);
    await Promise.all([worker.close(), second.close()]);
  });

  it('refuses an attempt budget below one', async () => {
    const storage = openOnDisk(data.dir);
    await expect(storage.jobQueue.enqueue('default', 'x', {}, { attempts: 0 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await storage.close();
  });
});
