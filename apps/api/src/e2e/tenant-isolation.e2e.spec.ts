import { IngestionReports } from '@lemo/domain';
import { eventually } from '@lemo/domain/testing';
import { createTenant, type TenantFixture, type TestApp } from '@lemo/testing';
import { createApiTestApp } from './api-test-app';

jest.setTimeout(60_000);

const MARKER = 'ALPHA_SECRET_7f3';

interface Operation {
  method: string;
  path: string;
  secured: 'admin-key' | 'api-key' | 'none';
}

/** Bodies tenant B sends; they name tenant A's resources where a body can. */
const BODIES: Record<string, unknown> = {
  'POST /api/v1/tenants': { tenant_id: 'gamma', name: 'x' },
  'PATCH /api/v1/tenants/{tenant_id}': { name: 'hijack' },
  'POST /api/v1/tenants/{tenant_id}/api-keys': { name: 'hijack' },
  'POST /api/v1/scenarios': { scenario_id: 'beta_scn', name: 'B', scenario_type: 'news' },
  'PUT /api/v1/scenarios/{scenario_id}': { name: 'hijack' },
  'PATCH /api/v1/scenarios/{scenario_id}/status': { status: 'inactive' },
  'POST /api/v1/scenarios/{scenario_id}/validate': {},
  'POST /api/v1/templates': { template_id: 'beta_tpl', name: 'B', scenario_type: 'news', config: {} },
  'POST /api/v1/items/{scenario_id}': { item_id: 'beta_item' },
  'POST /api/v1/items/{scenario_id}/batch': { items: [{ item_id: 'beta_item' }] },
  'POST /api/v1/items/{scenario_id}/batch-delete': { item_ids: ['secret_item'], hard: true },
  'PATCH /api/v1/items/{scenario_id}/{item_id}': { metadata: { title: 'hijack' } },
  'PUT /api/v1/items/{scenario_id}/{item_id}': { metadata: { title: 'hijack' } },
  'PUT /api/v1/users/{user_id}': { attributes: { note: 'b' } },
  'POST /api/v1/behaviors/track': { scenario_id: 'shop', user_id: 'secret_user', item_id: 'secret_item', action_type: 'click' },
  'POST /api/v1/behaviors/track/batch': { events: [{ scenario_id: 'shop', user_id: 'secret_user', item_id: 'secret_item', action_type: 'click' }] },
  'POST /api/v1/behaviors/validate': { events: [{ scenario_id: 'shop', user_id: 'secret_user', item_id: 'secret_item', action_type: 'click' }] },
  'PUT /api/v1/tracking-schemas/{scenario_id}': { fields: [] },
  'POST /api/v1/recommend': { scenario_id: 'shop', user_id: 'secret_user', count: 5 },
  'POST /api/v1/models/train': { scenario_id: 'shop', algorithm: 'ease' },
  'POST /api/v1/models/{model_id}/deploy': { version: 'v1' },
  'POST /api/v1/jobs': { job: 'item_similarity', scenario_id: 'shop' },
  'POST /api/v1/experiments': {
    experiment_id: 'beta_exp',
    scenario_id: 'shop',
    name: 'B',
    variants: [
      { variant_id: 'a', name: 'A', traffic_percent: 50, is_control: true },
      { variant_id: 'b', name: 'B', traffic_percent: 50 },
    ],
  },
  'PATCH /api/v1/experiments/{experiment_id}': { name: 'hijack' },
};

/** Routes where tenant B acts in its own namespace: allowed, but must not reveal A's data. */
const OWN_NAMESPACE = new Set([
  'POST /api/v1/scenarios',
  'GET /api/v1/scenarios',
  'GET /api/v1/templates',
  'POST /api/v1/templates',
  'PUT /api/v1/users/{user_id}',
  'DELETE /api/v1/users/{user_id}',
  'POST /api/v1/behaviors/track/batch',
  'POST /api/v1/behaviors/validate',
  'GET /api/v1/models',
  'GET /api/v1/jobs',
  'GET /api/v1/experiments',
  'GET /api/v1/analytics/ingestion',
]);

describe('tenant isolation on every route', () => {
  let t: TestApp;
  let alpha: TenantFixture;
  let beta: TenantFixture;
  let alphaKeyId: string;
  let alphaJobId: string;
  let operations: Operation[];

  beforeAll(async () => {
    t = await createApiTestApp();
    alpha = await createTenant(t, 'alpha');
    beta = await createTenant(t, 'beta');
    const a = alpha.auth;
    await t.http.post('/api/v1/scenarios').set(a).send({ scenario_id: 'shop', name: `Shop ${MARKER}`, scenario_type: 'ecommerce' }).expect(201);
    await t.http.post('/api/v1/templates').set(a).send({ template_id: 'alpha_tpl', name: `Tpl ${MARKER}`, scenario_type: 'news', config: {} }).expect(201);
    await t.http.post('/api/v1/items/shop').set(a).send({ item_id: 'secret_item', metadata: { title: `Item ${MARKER}`, category: 'c' } }).expect(201);
    await t.http.put('/api/v1/users/secret_user').set(a).send({ attributes: { name: MARKER } }).expect(200);
    await t.http.post('/api/v1/behaviors/track').set(a).send({ scenario_id: 'shop', user_id: 'secret_user', item_id: 'secret_item', action_type: 'like' }).expect(200);
    await t.http.put('/api/v1/tracking-schemas/shop').set(a).send({ fields: [] }).expect(200);
    await t.http.post('/api/v1/items/shop').set(a).send({ item_id: 'secret_item2', metadata: { title: `Item ${MARKER}`, category: 'c' } }).expect(201);
    await t.http.post('/api/v1/behaviors/track').set(a).send({ scenario_id: 'shop', user_id: 'secret_user', item_id: 'secret_item2', action_type: 'like' }).expect(200);
    // The consumer's throughput report of alpha (written by the consumer app, here through the port).
    const window = Date.now() - 60_000;
    await t.app.get(IngestionReports).record({
      tenant_id: 'alpha',
      source: 'item-events',
      instance: `${MARKER}:1`,
      window_start: window,
      window_end: window + 60_000,
      messages: 6,
      items: 6,
      dead_letters: 0,
      messages_per_second: 0.1,
      items_per_second: 0.1,
    });
    alphaJobId = (await t.http.post('/api/v1/models/train').set(a).send({ scenario_id: 'shop', algorithm: 'ease' }).expect(202)).body.job_id;
    await eventually(async () => expect((await t.http.get(`/api/v1/models/training/${alphaJobId}`).set(a).expect(200)).body.status).toBe('completed'), 30_000);
    await t.http
      .post('/api/v1/experiments')
      .set(a)
      .send({ ...(BODIES['POST /api/v1/experiments'] as object), experiment_id: 'alpha_exp', name: `Exp ${MARKER}` })
      .expect(201);
    await t.http.post('/api/v1/experiments/alpha_exp/start').set(a).expect(200);
    alphaKeyId = (await t.http.get('/api/v1/tenants/alpha/api-keys').set('X-Api-Key', t.adminKey).expect(200)).body.items[0].key_id;
    const doc = (await t.http.get('/api/v1/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { security?: Array<Record<string, unknown>> }>> };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        secured: (op.security?.[0] && (Object.keys(op.security[0])[0] as Operation['secured'])) ?? 'none',
      })),
    );
  });

  afterAll(() => t.close());

  const concrete = (path: string) =>
    path
      .replace('{tenant_id}', 'alpha')
      .replace('{scenario_id}', 'shop')
      .replace('{item_id}', 'secret_item')
      .replace('{user_id}', 'secret_user')
      .replace('{template_id}', 'alpha_tpl')
      .replace('{key_id}', alphaKeyId)
      .replace('{model_id}', 'shop.ease')
      .replace('{queue}', 'model_training')
      .replace('{job_id}', alphaJobId)
      .replace('{experiment_id}', 'alpha_exp');

  async function call(op: Operation) {
    const key = `${op.method} ${op.path}`;
    const query = op.path.endsWith('/search')
      ? '?q=item'
      : op.path.endsWith('/analytics/ingestion')
        ? ''
        : op.path.endsWith('/analytics/item-distribution')
        ? '?scenario_id=shop&field=category'
        : op.path.includes('/recommend/') || op.path.startsWith('/api/v1/analytics/')
        ? '?scenario_id=shop'
        : op.path.endsWith('/assignments')
          ? '?user_id=secret_user'
          : '';
    const req = t.http[op.method.toLowerCase() as 'get'](concrete(op.path) + query).set(beta.auth);
    return BODIES[key] !== undefined ? req.send(BODIES[key] as object) : req;
  }

  it('documents every route as secured', () => {
    expect(operations.length).toBeGreaterThan(30);
    for (const op of operations) expect(op.secured).not.toBe('none');
  });

  it('answers 403/404 and never tenant A\'s data, reads first, then writes', async () => {
    const ordered = [...operations.filter((o) => o.method === 'GET'), ...operations.filter((o) => o.method !== 'GET')];
    for (const op of ordered) {
      const key = `${op.method} ${op.path}`;
      const res = await call(op);
      const context = `${key} -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
      expect([context, JSON.stringify(res.body).includes(MARKER)]).toEqual([context, false]);
      if (op.secured === 'admin-key') expect([context, res.status]).toEqual([context, 403]);
      else if (!OWN_NAMESPACE.has(key)) expect([context, [403, 404].includes(res.status)]).toEqual([context, true]);
    }
  });

  it('left tenant A\'s data untouched', async () => {
    const a = alpha.auth;
    expect((await t.http.get('/api/v1/scenarios/shop').set(a).expect(200)).body.name).toContain(MARKER);
    expect((await t.http.get('/api/v1/items/shop/secret_item').set(a).expect(200)).body.metadata.title).toContain(MARKER);
    expect((await t.http.get('/api/v1/users/secret_user').set(a).expect(200)).body.attributes.name).toBe(MARKER);
    expect((await t.http.get('/api/v1/users/secret_user/profile').set(a).expect(200)).body.total_events).toBe(2);
    expect((await t.http.get('/api/v1/templates/alpha_tpl').set(a).expect(200)).body.name).toContain(MARKER);
    await t.http.get('/api/v1/tracking-schemas/shop').set(a).expect(200);
    expect((await t.http.get('/api/v1/experiments/alpha_exp').set(a).expect(200)).body).toMatchObject({ status: 'running', name: `Exp ${MARKER}` });
    expect((await t.http.get('/api/v1/models/shop.ease').set(a).expect(200)).body).toMatchObject({ deployed_version: 'v1', versions: [{ version: 'v1' }] });
    const keys = (await t.http.get('/api/v1/tenants/alpha/api-keys').set('X-Api-Key', t.adminKey).expect(200)).body.items;
    expect(keys[0].revoked).toBe(false);
  });
});
