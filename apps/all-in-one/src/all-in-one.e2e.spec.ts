import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { configureHttpApp } from '@lemo/api';
import { loadConfig } from '@lemo/platform-config';
import { adminKeyFor } from './admin-key';
import { AllInOneModule } from './all-in-one.module';
import { DEMO_SCENARIO, DemoSeeder } from './demo-seeder';

jest.setTimeout(60_000);

describe('all-in-one process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lemo-aio-'));
  let app: NestExpressApplication;

  const boot = async () => {
    const loaded = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const config = loaded.withAdminKey(adminKeyFor(dataDir, undefined));
    const moduleRef = await Test.createTestingModule({ imports: [AllInOneModule.forConfig(config)] }).compile();
    const instance = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
    configureHttpApp(instance);
    await instance.init();
    return instance;
  };

  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('makes and keeps an admin key, seeds the demo once, and serves it across a restart', async () => {
    const adminKey = adminKeyFor(dataDir, undefined);
    expect(adminKeyFor(dataDir, undefined)).toBe(adminKey);
    expect(adminKeyFor(dataDir, 'configured-key-0123456789')).toBe('configured-key-0123456789');

    app = await boot();
    const first = await app.get(DemoSeeder).seed({ items: 120, users: 30, events: 600 });
    expect(first.seeded).toBe(true);
    expect(readFileSync(join(dataDir, 'demo-api-key'), 'utf8').trim()).toBe(first.apiKey);
    await app.close();

    app = await boot();
    const second = await app.get(DemoSeeder).seed({ items: 120, users: 30, events: 600 });
    expect(second).toEqual({ tenantId: 'demo', apiKey: first.apiKey, seeded: false });
    const http = request(app.getHttpServer());
    const res = await http.post('/api/v1/recommend').set('X-Api-Key', first.apiKey as string).send({ scenario_id: DEMO_SCENARIO, user_id: 'user_00001', count: 5 }).expect(200);
    expect(res.body.items).toHaveLength(5);
    await http.get('/api/v1/tenants').set('X-Api-Key', adminKey).expect(200);
  });
});
