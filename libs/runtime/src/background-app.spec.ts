import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { JobQueue } from '@lemo/domain';
import { loadConfig } from '@lemo/platform-config';
import { backgroundAppModule } from './background-app';
import { StorageModule } from './storage.module';

describe('background app shell', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'silent' });
    const moduleRef = await Test.createTestingModule({ imports: [backgroundAppModule(config, [])] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(() => app.close());

  it('answers liveness, readiness and metrics', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
    const ready = await request(app.getHttpServer()).get('/health').expect(200);
    expect(ready.body.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
    expect((await request(app.getHttpServer()).get('/metrics').expect(200)).text).toContain('process_cpu_user_seconds_total');
  });

  it('wires the storage ports the config selects', () => {
    expect(app.get(JobQueue)).toBeDefined();
    expect(StorageModule.forConfig(loadConfig({ DATA_DIR: ":memory:" })).imports).toHaveLength(1);
  });
});
