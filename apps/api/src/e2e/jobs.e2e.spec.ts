import { EventBus, topicPattern } from '@lemo/domain';
import { createTenant, eventually, type TenantFixture, type TestApp } from '@lemo/testing';
import { createApiTestApp } from './api-test-app';

jest.setTimeout(60_000);

interface JobBody {
  queue: string;
  job_id: string;
  name: string;
  status: string;
  data: { tenant_id: string; scenario_id?: string };
  result: unknown;
}

describe('/api/v1/jobs', () => {
  let t: TestApp;
  let alpha: TenantFixture;
  let beta: TenantFixture;

  beforeAll(async () => {
    t = await createApiTestApp();
    alpha = await createTenant(t, 'alpha');
    beta = await createTenant(t, 'beta');
    await t.http.post('/api/v1/scenarios').set(alpha.auth).send({ scenario_id: 'shop', name: 'Shop', scenario_type: 'ecommerce' }).expect(201);
    await t.http.post('/api/v1/scenarios').set(beta.auth).send({ scenario_id: 'shop', name: 'Shop', scenario_type: 'ecommerce' }).expect(201);
    const items = Array.from({ length: 12 }, (_, i) => ({ item_id: `item_${i}`, metadata: { title: `Red shoe model ${i}`, category: 'shoes', tags: ['red'] } }));
    await t.http.post('/api/v1/items/shop/batch').set(alpha.auth).send({ items }).expect(200);
  });

  afterAll(() => t.close());

  const job = async (fixture: TenantFixture, queue: string, jobId: string): Promise<JobBody> =>
    (await t.http.get(`/api/v1/jobs/${queue}/${encodeURIComponent(jobId)}`).set(fixture.auth).expect(200)).body as JobBody;

  it('triggers item vectors for every item of a scenario and shows it run to completion', async () => {
    const started = (await t.http.post('/api/v1/jobs').set(alpha.auth).send({ job: 'item_vectors', scenario_id: 'shop' }).expect(202)).body as JobBody;
    expect(started).toMatchObject({ queue: 'item_processing', name: 'scenario_item_vectors', data: { tenant_id: 'alpha', scenario_id: 'shop' } });
    await eventually(async () => (await job(alpha, started.queue, started.job_id)).status === 'completed');
    expect((await job(alpha, started.queue, started.job_id)).result).toEqual({ items: 12, upserted: 12, removed: 0 });
  });

  it('triggers item similarity and recall training (the same run as POST /models/train)', async () => {
    const similarity = (await t.http.post('/api/v1/jobs').set(alpha.auth).send({ job: 'item_similarity', scenario_id: 'shop' }).expect(202)).body as JobBody;
    expect(similarity).toMatchObject({ queue: 'default', name: 'item_similarity', data: { tenant_id: 'alpha', scenario_id: 'shop' } });
    await eventually(async () => (await job(alpha, similarity.queue, similarity.job_id)).status === 'completed');
    const events = Array.from({ length: 40 }, (_, i) => ({ scenario_id: 'shop', user_id: `u${i % 8}`, item_id: `item_${(i * 7) % 12}`, action_type: 'like' }));
    await t.http.post('/api/v1/behaviors/track/batch').set(alpha.auth).send({ events }).expect(200);
    const training = (await t.http.post('/api/v1/jobs').set(alpha.auth).send({ job: 'recall_training', scenario_id: 'shop', algorithm: 'ease' }).expect(202)).body as JobBody;
    expect(training).toMatchObject({ queue: 'model_training', name: 'recall_training', data: { tenant_id: 'alpha', scenario_id: 'shop', algorithm: 'ease', params: {}, deploy: true } });
    await eventually(async () => (await job(alpha, training.queue, training.job_id)).status === 'completed', 30_000);
    expect((await job(alpha, training.queue, training.job_id)).result).toMatchObject({ model_id: 'shop.ease', version: 'v1', deployed: true });
  });

  it("carries the caller's X-Request-Id into the job's data and the behaviour events' bus headers", async () => {
    const started = (await t.http.post('/api/v1/jobs').set(alpha.auth).set('X-Request-Id', 'trace-job-1').send({ job: 'item_similarity', scenario_id: 'shop' }).expect(202)).body as JobBody;
    expect(started.data).toMatchObject({ tenant_id: 'alpha', request_id: 'trace-job-1' });
    const headers: Array<Record<string, string>> = [];
    const subscription = await t.app.get(EventBus).subscribe(topicPattern(t.config.topics.behaviors), 'request-id-probe', async (messages) => {
      for (const message of messages) headers.push(message.headers);
    });
    try {
      const event = { event_id: 'traced-1', user_id: 'u1', item_id: 'item_1', scenario_id: 'shop', action_type: 'click' };
      await t.http.post('/api/v1/behaviors/track').set(alpha.auth).set('X-Request-Id', 'trace-track-1').send(event).expect(200);
      await eventually(async () => headers.some((h) => h.request_id === 'trace-track-1'));
      expect(headers.find((h) => h.request_id === 'trace-track-1')).toMatchObject({ event_type: 'behavior' });
    } finally {
      await subscription.close();
    }
  });

  it('validates the trigger, naming the field', async () => {
    const bad = async (body: object, field: string) => {
      const res = await t.http.post('/api/v1/jobs').set(alpha.auth).send(body).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await bad({ job: 'telepathy', scenario_id: 'shop' }, 'job');
    await bad({ job: 'recall_training', scenario_id: 'shop' }, 'algorithm');
    await bad({ job: 'recall_training', scenario_id: 'shop', algorithm: 'magic' }, 'algorithm');
    await bad({ job: 'item_similarity', scenario_id: 'shop', params: {} }, 'params');
    await bad({ job: 'item_similarity' }, 'scenario_id');
    await t.http.post('/api/v1/jobs').set(alpha.auth).send({ job: 'item_similarity', scenario_id: 'nope' }).expect(404);
    const query = await t.http.get('/api/v1/jobs?status=sleeping').set(alpha.auth).expect(400);
    expect(query.body.errors[0].field).toBe('status');
    await t.http.get('/api/v1/jobs/no_such_queue/x').set(alpha.auth).expect(400);
  });

  it('lists the caller\'s jobs only, by queue and status', async () => {
    await t.http.post('/api/v1/jobs').set(beta.auth).send({ job: 'item_similarity', scenario_id: 'shop' }).expect(202);
    const all = (await t.http.get('/api/v1/jobs').set(alpha.auth).expect(200)).body.items as JobBody[];
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all.every((j) => j.data.tenant_id === 'alpha')).toBe(true);
    const onDefault = (await t.http.get('/api/v1/jobs?queue=default&status=completed').set(alpha.auth).expect(200)).body.items as JobBody[];
    expect(onDefault.map((j) => j.name)).toEqual(['item_similarity']);
    const betas = (await t.http.get('/api/v1/jobs').set(beta.auth).expect(200)).body.items as JobBody[];
    expect(betas.length).toBeGreaterThan(0);
    expect(betas.every((j) => j.data.tenant_id === 'beta')).toBe(true);
    expect((await t.http.get('/api/v1/jobs?limit=1').set(alpha.auth).expect(200)).body.items).toHaveLength(1);
  });

  it('cancels a waiting job of the caller; another tenant gets 404 for reading or cancelling it', async () => {
    // A tracked event schedules a debounced (delayed) similarity rebuild of the scenario.
    await t.http.post('/api/v1/behaviors/track').set(alpha.auth).send({ scenario_id: 'shop', user_id: 'u1', item_id: 'item_1', action_type: 'like' }).expect(200);
    let delayed: JobBody | undefined;
    await eventually(async () => {
      delayed = ((await t.http.get('/api/v1/jobs?queue=default&status=delayed').set(alpha.auth).expect(200)).body.items as JobBody[])[0];
      return delayed !== undefined;
    });
    const path = `/api/v1/jobs/${delayed!.queue}/${encodeURIComponent(delayed!.job_id)}`;
    await t.http.get(path).set(beta.auth).expect(404);
    await t.http.post(`${path}/cancel`).set(beta.auth).expect(404);
    expect((await t.http.get(path).set(alpha.auth).expect(200)).body.status).toBe('delayed');
    expect((await t.http.post(`${path}/cancel`).set(alpha.auth).expect(200)).body.status).toBe('cancelled');
    await t.http.post(`${path}/cancel`).set(alpha.auth).expect(422);
  });

  it('needs the admin scope to trigger or cancel, read scope to look', async () => {
    const reader = await t.http.post('/api/v1/tenants/alpha/api-keys').set('X-Api-Key', t.adminKey).send({ name: 'reader', scopes: ['read'] }).expect(201);
    const auth = { 'X-Api-Key': reader.body.api_key as string };
    await t.http.get('/api/v1/jobs').set(auth).expect(200);
    await t.http.post('/api/v1/jobs').set(auth).send({ job: 'item_similarity', scenario_id: 'shop' }).expect(403);
  });
});
