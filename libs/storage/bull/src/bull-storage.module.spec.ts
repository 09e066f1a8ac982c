import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bull';
import { JobQueue, QUEUE_NAMES, Scheduler } from '@lemo/domain';
import { eventually } from '@lemo/domain/testing';
import { quietLogs, redisUrl, uniquePrefix, wipePrefix } from '../testing/bull-harness';
import { BullStorage, BullStorageModule } from './index';

beforeAll(quietLogs);

@Injectable()
class TrainingService {
  constructor(
    readonly jobs: JobQueue,
    readonly scheduler: Scheduler,
  ) {}
}

@Module({ providers: [TrainingService] })
class TrainingModule {}

const CONFIG = Symbol('CONFIG');

describe('BullStorageModule', () => {
  let prefix: string;
  beforeEach(() => (prefix = uniquePrefix()));
  afterEach(() => wipePrefix(prefix));

  it("serves JobQueue and Scheduler on @nestjs/bull's four queues, and closes everything on shutdown", async () => {
    @Module({ imports: [BullStorageModule.forRoot({ redisUrl: redisUrl(), prefix }), TrainingModule] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const storage = app.get(BullStorage);
    const training = app.get(TrainingService);
    expect(training.jobs).toBe(storage.jobQueue);
    expect(training.scheduler).toBe(storage.scheduler);
    for (const name of QUEUE_NAMES) expect(storage.queues[name]).toBe(app.get(getQueueToken(name), { strict: false }));
    let ran = false;
    training.jobs.process('user_profile', 'refresh', async () => void (ran = true));
    await training.jobs.enqueue('user_profile', 'refresh', {}, { jobId: 'p1' });
    await eventually(async () => expect((await training.jobs.get('user_profile', 'p1'))?.status).toBe('completed'));
    expect(ran).toBe(true);
    await app.close();
    for (const name of QUEUE_NAMES) expect(storage.queues[name].client.status).toBe('end');
    await expect(training.jobs.enqueue('default', 'late', {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(() => training.scheduler.schedule({ name: 'late', cron: '0 3 * * *' }, async () => undefined)).toThrow(
      expect.objectContaining({ code: 'UNAVAILABLE' }),
    );
  });

  it('builds its options from injected config once, and serves only the selected ports', async () => {
    const factory = jest.fn((url: string) => ({ redisUrl: url, prefix }));
    @Module({ providers: [{ provide: CONFIG, useFactory: redisUrl }], exports: [CONFIG] })
    class ConfigModule {}
    @Module({ imports: [BullStorageModule.forRootAsync({ imports: [ConfigModule], inject: [CONFIG], useFactory: factory, ports: [Scheduler] })] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    expect(factory).toHaveBeenCalledTimes(1);
    expect(app.get(Scheduler)).toBe(app.get(BullStorage).scheduler);
    expect(() => app.get(JobQueue)).toThrow();
    expect(app.get(BullStorage).queues.default.toKey('wait')).toBe(`${prefix}:default:wait`);
    await app.close();
  });
});
