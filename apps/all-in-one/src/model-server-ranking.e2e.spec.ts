import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { createServer } from 'node:net';
import request from 'supertest';
import { ApiHttpModule, configureHttpApp } from '@lemo/api';
import { BackgroundJobsModule } from '@lemo/application';
import { ModelArtifactStore, ModelRepository } from '@lemo/domain';
import { eventually } from '@lemo/domain/testing';
import { configureModelServerHttp, ModelServerHttpModule } from '@lemo/model-server';
import { loadConfig } from '@lemo/platform-config';
import { CoreModule } from '@lemo/runtime';
import { generateSyntheticDataset } from '@lemo/synthetic';

jest.setTimeout(180_000);

const ADMIN_KEY = 'model-server-e2e-admin-key-0123';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

/**
 * The api process ranking through a model-server process (MODEL_SERVER_URL),
 * both hosted here as the all-in-one hosts apps: the api trains a learned
 * ranker over REST, its recommendations are scored by the model-server on a
 * real port, and when that port closes the api ranks in-process instead.
 * The two share the model registry (one set of embedded adapters), as the
 * separate processes share MongoDB on the cluster profile.
 */
describe('api ranking through the model-server', () => {
  let api: NestExpressApplication;
  let modelServer: INestApplication | null = null;
  let port: number;
  let auth: { 'X-Api-Key': string };
  const data = generateSyntheticDataset({ seed: 7, items: 150, users: 120, events: 2000, scenarioId: 'shop' });

  const recommend = async () => {
    const res = await request(api.getHttpServer()).post('/api/v1/recommend').set(auth).send({ scenario_id: 'shop', user_id: data.userIds[4], count: 10, debug: true }).expect(200);
    expect(res.body.items.length).toBe(10);
    return res.body;
  };

  beforeAll(async () => {
    port = await freePort();
    // A wide time budget: this machine is shared, and this test is about the path, not the latency.
    const apiConfig = loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'silent', ADMIN_API_KEY: ADMIN_KEY, MODEL_SERVER_URL: `http://127.0.0.1:${port}`, MODEL_SERVER_TIMEOUT_MS: '3000' });
    const apiModule = await Test.createTestingModule({ imports: [CoreModule.forConfig(apiConfig), ApiHttpModule, BackgroundJobsModule] }).compile();
    api = apiModule.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
    configureHttpApp(api);
    await api.init();

    const serverConfig = loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'silent', HEALTH_PORT: String(port) });
    const serverModule = await Test.createTestingModule({ imports: [CoreModule.forConfig(serverConfig), ModelServerHttpModule] })
      .overrideProvider(ModelRepository)
      .useValue(api.get(ModelRepository))
      .overrideProvider(ModelArtifactStore)
      .useValue(api.get(ModelArtifactStore))
      .compile();
    const server = serverModule.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
    configureModelServerHttp(server);
    await server.listen(port, '127.0.0.1');
    modelServer = server;

    const http = request(api.getHttpServer());
    await http.post('/api/v1/tenants').set('X-Api-Key', ADMIN_KEY).send({ tenant_id: 'acme', name: 'Acme' }).expect(201);
    const key = await http.post('/api/v1/tenants/acme/api-keys').set('X-Api-Key', ADMIN_KEY).send({ name: 'test', scopes: ['admin'] }).expect(201);
    auth = { 'X-Api-Key': key.body.api_key };
    const config = { rank: { model: 'lr' }, rerank: { diversity: { enabled: false } } };
    await http.post('/api/v1/scenarios').set(auth).send({ scenario_id: 'shop', name: 'Shop', scenario_type: 'ecommerce', config }).expect(201);
    await http.post('/api/v1/items/shop/batch').set(auth).send({ items: data.items }).expect(200);
    for (let i = 0; i < data.events.length; i += 1000) {
      await http.post('/api/v1/behaviors/track/batch').set(auth).send({ events: data.events.slice(i, i + 1000) }).expect(200);
    }
    const queued = await http.post('/api/v1/models/train').set(auth).send({ scenario_id: 'shop', algorithm: 'lr' }).expect(202);
    await eventually(async () => {
      const job = await request(api.getHttpServer()).get(`/api/v1/models/training/${queued.body.job_id}`).set(auth).expect(200);
      expect([job.body.status, job.body.failed_reason]).toEqual(['completed', null]);
    }, 150_000, 250);
  });

  afterAll(async () => {
    await modelServer?.close();
    await api?.close();
  });

  it('ranks with the deployed learned model on the model-server, and says so in debug', async () => {
    const body = await recommend();
    expect(body.debug.ranker).toBe('lr');
    expect(body.debug.ranked_by).toEqual({ ranker: 'lr', version: 'v1', served_by: 'model_server' });
    const loaded = await request(modelServer!.getHttpServer()).get('/v1/models').set('X-Tenant-Id', 'acme').expect(200);
    expect(loaded.body.items).toEqual([expect.objectContaining({ scenario_id: 'shop', model: 'lr', version: 'v1', deployed: true })]);
    expect(loaded.body.items[0].requests_served).toBeGreaterThanOrEqual(1);
    const metrics = (await request(api.getHttpServer()).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/lemo_model_server_client_calls_total\{[^}]*outcome="ok"[^}]*\} [1-9]/);
  });

  it('ranks in-process with the same model when the model-server port is closed, logged and counted', async () => {
    await modelServer!.close();
    modelServer = null;
    const body = await recommend();
    expect(body.debug.ranked_by).toEqual({ ranker: 'lr', version: 'v1', served_by: 'in_process', fallback: 'model-server unreachable' });
    const metrics = (await request(api.getHttpServer()).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/lemo_model_server_client_calls_total\{[^}]*outcome="unreachable"[^}]*\} 1\b/);
  });
});
