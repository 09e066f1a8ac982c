import { createTenant, type TenantFixture, type TestApp } from '@lemo/testing';
import { createApiTestApp } from './api-test-app';

jest.setTimeout(60_000);

describe('bad input, auth and error mapping', () => {
  let t: TestApp;
  let acme: TenantFixture;

  beforeAll(async () => {
    t = await createApiTestApp();
    acme = await createTenant(t, 'acme');
    await t.http.post('/api/v1/scenarios').set(acme.auth).send({ scenario_id: 'shop', name: 'Shop', scenario_type: 'ecommerce' }).expect(201);
  });

  afterAll(() => t.close());

  describe('validation names the field', () => {
    it('rejects unknown fields', async () => {
      const res = await t.http.post('/api/v1/scenarios').set(acme.auth).send({ scenario_id: 's2', name: 'x', scenario_type: 'news', colour: 'red' }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'colour', message: 'unknown field' }]);
    });

    it('names a wrongly typed field', async () => {
      const res = await t.http.post('/api/v1/items/shop').set(acme.auth).send({ item_id: 123 }).expect(400);
      expect(res.body.errors[0].field).toBe('item_id');
    });

    it('names a nested scenario config field', async () => {
      const res = await t.http
        .post('/api/v1/scenarios')
        .set(acme.auth)
        .send({ scenario_id: 's3', name: 'x', scenario_type: 'news', config: { recall: { strategies: [{ name: 'popular', weight: -1 }] } } })
        .expect(400);
      expect(res.body.code).toBe('INVALID_SCENARIO_CONFIG');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('config.recall.strategies.0.weight');
    });

    it('names a bad per-scenario schedule; a good one is stored, and null gives the job back to the deployment', async () => {
      const bad = await t.http
        .put('/api/v1/scenarios/shop')
        .set(acme.auth)
        .send({ config: { schedules: { precompute: '0 25 * * *', item_similarity: '*/15 * * * *' } } })
        .expect(400);
      expect(bad.body.code).toBe('INVALID_SCENARIO_CONFIG');
      expect(bad.body.errors).toEqual([{ field: 'config.schedules.precompute', message: expect.stringContaining("'0 25 * * *' is not a valid cron expression") }]);
      const global = await t.http.put('/api/v1/scenarios/shop').set(acme.auth).send({ config: { schedules: { cache_cleanup: 'off' } } }).expect(400);
      expect(global.body.errors).toEqual([{ field: 'config.schedules.cache_cleanup', message: 'unknown field' }]);

      const stored = await t.http
        .put('/api/v1/scenarios/shop')
        .set(acme.auth)
        .send({ config: { schedules: { precompute: 'off', item_similarity: '*/15 * * * *' } } })
        .expect(200);
      expect(stored.body.config.schedules).toEqual({ precompute: 'off', item_similarity: '*/15 * * * *' });
      const cleared = await t.http.put('/api/v1/scenarios/shop').set(acme.auth).send({ config: { schedules: { precompute: null } } }).expect(200);
      expect(cleared.body.config.schedules).toEqual({ precompute: null, item_similarity: '*/15 * * * *' });
    });

    it('rejects an unknown recall strategy by name', async () => {
      const res = await t.http
        .post('/api/v1/scenarios/shop/validate')
        .set(acme.auth)
        .send({ config: { recall: { strategies: [{ name: 'telepathy' }] } } })
        .expect(200);
      expect(res.body.valid).toBe(false);
      expect(res.body.errors[0]).toEqual({ field: 'config.recall.strategies.0.name', message: expect.stringContaining('telepathy') });
    });

    it('reports warnings for a config that works but is probably wrong', async () => {
      const res = await t.http
        .post('/api/v1/scenarios/shop/validate')
        .set(acme.auth)
        .send({ config: { recall: { strategies: [{ name: 'item_cf', weight: 1 }] } } })
        .expect(200);
      expect(res.body.valid).toBe(true);
      expect(res.body.warnings.map((w: { field: string }) => w.field)).toContain('config.recall.strategies');
    });

    it('answers malformed JSON with a 400 naming the body', async () => {
      const res = await t.http.post('/api/v1/scenarios').set(acme.auth).set('Content-Type', 'application/json').send('{"scenario_id": ').expect(400);
      expect(res.body.message).toMatch(/^body: malformed JSON/);
    });

    it('rejects a batch over 1,000 events naming the field', async () => {
      const event = { scenario_id: 'shop', user_id: 'u', item_id: 'i', action_type: 'click' };
      const res = await t.http.post('/api/v1/behaviors/track/batch').set(acme.auth).send({ events: Array(1001).fill(event) }).expect(400);
      expect(res.body.errors[0].field).toBe('events');
    });

    it('rejects a client embedding of the wrong dimension', async () => {
      const res = await t.http.post('/api/v1/items/shop').set(acme.auth).send({ item_id: 'e1', embedding: [0.1, 0.2, 0.3] }).expect(400);
      expect(res.body.errors[0].field).toBe('embedding');
    });

    it('refuses a bad cursor naming it', async () => {
      const res = await t.http.post('/api/v1/recommend').set(acme.auth).send({ scenario_id: 'shop', cursor: 'nope' }).expect(400);
      expect(res.body.errors[0].field).toBe('cursor');
    });
  });

  describe('behaviour events', () => {
    it('stores the valid events of a batch and reports the bad one by index and field', async () => {
      const good = (n: number) => ({ event_id: `b-${n}`, scenario_id: 'shop', user_id: 'u1', item_id: `i${n}`, action_type: 'click' });
      const res = await t.http
        .post('/api/v1/behaviors/track/batch')
        .set(acme.auth)
        .send({ events: [good(1), good(2), { ...good(3), action_type: 'teleport' }, good(4)] })
        .expect(200);
      expect(res.body).toMatchObject({ total: 4, accepted: 3, rejected: 1, success: false });
      expect(res.body.results[2].errors[0].field).toBe('events.2.action_type');
    });

    it('is idempotent by event_id', async () => {
      const event = { event_id: 'once-1', scenario_id: 'shop', user_id: 'idem', item_id: 'x1', action_type: 'like' };
      expect((await t.http.post('/api/v1/behaviors/track').set(acme.auth).send(event).expect(200)).body.status).toBe('accepted');
      expect((await t.http.post('/api/v1/behaviors/track').set(acme.auth).send(event).expect(200)).body.status).toBe('duplicate');
      const profile = await t.http.get('/api/v1/users/idem/profile').set(acme.auth).expect(200);
      expect(profile.body.total_events).toBe(1);
    });

    it('validates without storing', async () => {
      const event = { event_id: 'dry-1', scenario_id: 'shop', user_id: 'dry', item_id: 'x', action_type: 'click' };
      const res = await t.http.post('/api/v1/behaviors/validate').set(acme.auth).send({ events: [event] }).expect(200);
      expect(res.body.accepted).toBe(1);
      await t.http.get('/api/v1/users/dry/profile').set(acme.auth).expect(404);
    });

    it('enforces the scenario tracking schema', async () => {
      await t.http
        .put('/api/v1/tracking-schemas/shop')
        .set(acme.auth)
        .send({ fields: [{ field: 'ecommerce_data.price', type: 'number', required: true, min: 0 }] })
        .expect(200);
      const res = await t.http.post('/api/v1/behaviors/track').set(acme.auth).send({ scenario_id: 'shop', user_id: 'u', item_id: 'i', action_type: 'purchase' }).expect(400);
      expect(res.body.errors[0].field).toBe('scenario_data.ecommerce_data.price');
      await t.http
        .post('/api/v1/behaviors/track')
        .set(acme.auth)
        .send({ scenario_id: 'shop', user_id: 'u', item_id: 'i', action_type: 'purchase', scenario_data: { ecommerce_data: { price: 9.5 } } })
        .expect(200);
      await t.http.delete('/api/v1/tracking-schemas/shop').set(acme.auth).expect(204);
    });
  });

  describe('auth', () => {
    it('needs a key, and refuses an unknown one', async () => {
      expect((await t.http.get('/api/v1/scenarios').expect(401)).body.code).toBe('UNAUTHENTICATED');
      await t.http.get('/api/v1/scenarios').set('X-Api-Key', 'lemo_acme_forged').expect(401);
    });

    it('enforces scopes', async () => {
      const reader = await t.http.post('/api/v1/tenants/acme/api-keys').set('X-Api-Key', t.adminKey).send({ name: 'ro', scopes: ['read'] }).expect(201);
      const key = { 'X-Api-Key': reader.body.api_key };
      await t.http.get('/api/v1/scenarios').set(key).expect(200);
      const res = await t.http.post('/api/v1/items/shop').set(key).send({ item_id: 'nope' }).expect(403);
      expect(res.body.message).toContain('write');
    });

    it('stores keys hashed and revokes them at once', async () => {
      const created = await t.http.post('/api/v1/tenants/acme/api-keys').set('X-Api-Key', t.adminKey).send({ name: 'tmp' }).expect(201);
      expect(JSON.stringify((await t.http.get('/api/v1/tenants/acme/api-keys').set('X-Api-Key', t.adminKey)).body)).not.toContain(created.body.api_key);
      await t.http.get('/api/v1/scenarios').set('X-Api-Key', created.body.api_key).expect(200);
      await t.http.delete(`/api/v1/tenants/acme/api-keys/${created.body.key.key_id}`).set('X-Api-Key', t.adminKey).expect(204);
      await t.http.get('/api/v1/scenarios').set('X-Api-Key', created.body.api_key).expect(401);
    });

    it('keeps tenant management for the platform admin', async () => {
      await t.http.post('/api/v1/tenants').set(acme.auth).send({ tenant_id: 'evil', name: 'x' }).expect(403);
      await t.http.get('/api/v1/tenants').expect(401);
      await t.http.post('/api/v1/tenants').set('X-Api-Key', t.adminKey).send({ tenant_id: 'acme', name: 'dup' }).expect(409);
    });

    it('rate-limits per key with 429 and Retry-After', async () => {
      const slow = await createTenant(t, 'slowpoke');
      await t.http.patch('/api/v1/tenants/slowpoke').set('X-Api-Key', t.adminKey).send({ quotas: { rate_limit_per_second: 2 } }).expect(200);
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await t.http.get('/api/v1/scenarios').set(slow.auth)).status);
      expect(statuses).toContain(429);
      const limited = await t.http.get('/api/v1/scenarios').set(slow.auth);
      if (limited.status === 429) expect(limited.headers['retry-after']).toBe('1');
    });

    it('enforces the item quota with 429', async () => {
      const small = await createTenant(t, 'tiny');
      await t.http.patch('/api/v1/tenants/tiny').set('X-Api-Key', t.adminKey).send({ quotas: { max_items: 2 } }).expect(200);
      await t.http.post('/api/v1/scenarios').set(small.auth).send({ scenario_id: 's', name: 's', scenario_type: 'news' }).expect(201);
      await t.http.post('/api/v1/items/s/batch').set(small.auth).send({ items: [{ item_id: 'a' }, { item_id: 'b' }] }).expect(200);
      const res = await t.http.post('/api/v1/items/s').set(small.auth).send({ item_id: 'c' }).expect(429);
      expect(res.body.code).toBe('QUOTA_EXCEEDED');
    });
  });

  describe('resources', () => {
    it('seeds the five system templates and refuses to delete them', async () => {
      const res = await t.http.get('/api/v1/templates').set(acme.auth).expect(200);
      const system = res.body.items.filter((tpl: { is_system: boolean }) => tpl.is_system).map((tpl: { scenario_type: string }) => tpl.scenario_type);
      expect(system.sort()).toEqual(['content', 'ecommerce', 'music', 'news', 'vlog']);
      await t.http.delete('/api/v1/templates/system-news').set(acme.auth).expect(422);
    });

    it('merges on PATCH and replaces on PUT', async () => {
      await t.http.post('/api/v1/items/shop').set(acme.auth).send({ item_id: 'm1', metadata: { title: 'a', category: 'c1' } }).expect(201);
      const merged = await t.http.patch('/api/v1/items/shop/m1').set(acme.auth).send({ metadata: { price: 3 } }).expect(200);
      expect(merged.body.metadata).toEqual({ title: 'a', category: 'c1', price: 3 });
      const replaced = await t.http.put('/api/v1/items/shop/m1').set(acme.auth).send({ metadata: { title: 'b' } }).expect(200);
      expect(replaced.body.metadata).toEqual({ title: 'b' });
    });

    it('reports a batch item by item and refuses duplicates within it', async () => {
      const res = await t.http
        .post('/api/v1/items/shop/batch')
        .set(acme.auth)
        .send({ items: [{ item_id: 'b1' }, { item_id: 'b1' }, { item_id: 'bad id!' }, { item_id: 'm1', metadata: { title: 'again' } }] })
        .expect(200);
      expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['created', 'failed', 'failed', 'updated']);
      expect(res.body.results[2].error).toContain('items.2.item_id');
    });

    it('lists with filters and paging, and searches text', async () => {
      await t.http
        .post('/api/v1/items/shop/batch')
        .set(acme.auth)
        .send({ items: Array.from({ length: 25 }, (_, i) => ({ item_id: `p${i}`, metadata: { category: i % 2 ? 'odd' : 'even', title: `pagination item ${i}` } })) })
        .expect(200);
      const page = await t.http.get('/api/v1/items/shop?category=odd&page=2&page_size=5').set(acme.auth).expect(200);
      expect(page.body.page_info).toMatchObject({ page: 2, page_size: 5, total: 12, total_pages: 3, has_next: true, has_prev: true });
      expect(page.body.items.every((i: { metadata: { category: string } }) => i.metadata.category === 'odd')).toBe(true);
      const search = await t.http.get('/api/v1/items/shop/search?q=pagination%2017').set(acme.auth).expect(200);
      expect(search.body.items.map((i: { item_id: string }) => i.item_id)).toEqual(['p17']);
    });

    it('soft delete hides an item, hard delete removes it', async () => {
      await t.http.post('/api/v1/items/shop').set(acme.auth).send({ item_id: 'gone' }).expect(201);
      await t.http.delete('/api/v1/items/shop/gone').set(acme.auth).expect(204);
      expect((await t.http.get('/api/v1/items/shop/gone').set(acme.auth).expect(200)).body.status).toBe('deleted');
      await t.http.delete('/api/v1/items/shop/gone?hard=true').set(acme.auth).expect(204);
      await t.http.get('/api/v1/items/shop/gone').set(acme.auth).expect(404);
    });

    it('erases a user with their events and profile (GDPR)', async () => {
      await t.http.put('/api/v1/users/erase_me').set(acme.auth).send({ attributes: { age: 30 } }).expect(200);
      await t.http.post('/api/v1/behaviors/track').set(acme.auth).send({ scenario_id: 'shop', user_id: 'erase_me', item_id: 'm1', action_type: 'like' }).expect(200);
      const res = await t.http.delete('/api/v1/users/erase_me').set(acme.auth).expect(200);
      expect(res.body.events_deleted).toBe(1);
      await t.http.get('/api/v1/users/erase_me').set(acme.auth).expect(404);
      await t.http.get('/api/v1/users/erase_me/profile').set(acme.auth).expect(404);
      await t.http.get('/api/v1/users/erase_me/features').set(acme.auth).expect(404);
    });
  });

  describe('operational surface', () => {
    it('serves health, metrics and the OpenAPI document', async () => {
      expect((await t.http.get('/health').expect(200)).body.status).toBe('ok');
      await t.http.get('/health/live').expect(200);
      const metrics = await t.http.get('/metrics').expect(200);
      expect(metrics.text).toContain('http_request_duration_seconds');
      const doc = await t.http.get('/api/v1/openapi.json').expect(200);
      expect(doc.body.paths['/api/v1/items/{scenario_id}/{item_id}'].get).toBeDefined();
      await t.http.get('/api/v1/docs').redirects(1).expect(200);
    });

    it('echoes the caller\'s request id', async () => {
      const res = await t.http.get('/health/live').set('X-Request-Id', 'trace-me-1');
      expect(res.headers['x-request-id']).toBe('trace-me-1');
    });
  });
});

describe('gateway auth mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createApiTestApp({ AUTH_MODE: 'gateway' });
    await createTenant(t, 'gw');
  });
  afterAll(() => t.close());

  it('trusts X-Tenant-Id for known tenants only', async () => {
    await t.http.get('/api/v1/scenarios').set('X-Tenant-Id', 'gw').expect(200);
    await t.http.get('/api/v1/scenarios').set('X-Tenant-Id', 'nobody').expect(403);
    await t.http.get('/api/v1/scenarios').expect(401);
  });
});
