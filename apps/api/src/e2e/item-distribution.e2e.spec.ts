import { createTenant, type TenantFixture, type TestApp } from '@lemo/testing';
import { createApiTestApp } from './api-test-app';

jest.setTimeout(120_000);

const ITEMS = 50;

/**
 * GET /analytics/item-distribution: a scenario's items per value of one
 * metadata field, counted over the catalogue (a string field, an array field
 * element by element, numbers in bands), with 400 naming a bad field and the
 * tenant's own items only.
 */
describe('item distribution (REST)', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let other: TenantFixture;

  beforeAll(async () => {
    t = await createApiTestApp();
    acme = await createTenant(t, 'acme');
    other = await createTenant(t, 'other');
    await t.http.post('/api/v1/scenarios').set(acme.auth).send({ scenario_id: 'feed', name: 'Feed', scenario_type: 'ecommerce' }).expect(201);
    const items = Array.from({ length: ITEMS }, (_, i) => ({
      item_id: `i${i}`,
      metadata: { title: `Item ${i}`, category: `c${i % 5}`, tags: i % 3 === 0 ? ['sale', 'new'] : ['new'], price: i },
    }));
    await t.http.post('/api/v1/items/feed/batch').set(acme.auth).send({ items }).expect(200);
  });

  afterAll(() => t?.close());

  const distribution = async (query: string, auth = acme.auth) =>
    (await t.http.get(`/api/v1/analytics/item-distribution?scenario_id=feed&${query}`).set(auth).expect(200)).body;

  it('counts items per category, with shares of the catalogue', async () => {
    const category = await distribution('field=category');
    expect(category).toMatchObject({
      scenario_id: 'feed',
      field: 'category',
      bucket_width: null,
      items: ITEMS,
      items_with_value: ITEMS,
      items_without_value: 0,
      distinct_values: 5,
    });
    expect(category.distribution).toEqual(
      ['c0', 'c1', 'c2', 'c3', 'c4'].map((value) => ({ label: value, value, type: 'string', items: ITEMS / 5, percentage: 20 })),
    );
  });

  it('counts an array field element by element, and numbers in bands', async () => {
    const onSale = Array.from({ length: ITEMS }, (_, i) => i).filter((i) => i % 3 === 0).length;
    expect((await distribution('field=tags')).distribution).toEqual([
      { label: 'new', value: 'new', type: 'string', items: ITEMS, percentage: 100 },
      { label: 'sale', value: 'sale', type: 'string', items: onSale, percentage: (onSale / ITEMS) * 100 },
    ]);
    expect((await distribution('field=price&bucket_width=20')).distribution).toEqual([
      { label: '[0, 20)', value: 0, type: 'bucket', items: 20, percentage: 40 },
      { label: '[20, 40)', value: 20, type: 'bucket', items: 20, percentage: 40 },
      { label: '[40, 60)', value: 40, type: 'bucket', items: 10, percentage: 20 },
    ]);
    const top = await distribution('field=price&limit=3');
    expect([top.distinct_values, top.distribution.length]).toEqual([ITEMS, 3]);
    expect(await distribution('field=no_such_field')).toMatchObject({ items: ITEMS, items_with_value: 0, items_without_value: ITEMS, distribution: [] });
  });

  it('answers 400 naming the field for a malformed field or width, 404 for an unknown scenario', async () => {
    for (const bad of ['metadata.category', 'tags[0]', '', '$where', 'a'.repeat(65)]) {
      const res = await t.http
        .get(`/api/v1/analytics/item-distribution?scenario_id=feed&field=${encodeURIComponent(bad)}`)
        .set(acme.auth)
        .expect(400);
      expect(res.body.errors[0]).toMatchObject({ field: 'field', message: expect.stringContaining('metadata key') });
    }
    const width = await t.http.get('/api/v1/analytics/item-distribution?scenario_id=feed&field=price&bucket_width=0').set(acme.auth).expect(400);
    expect(width.body.errors[0].field).toBe('bucket_width');
    const noScenario = await t.http.get('/api/v1/analytics/item-distribution?field=category').set(acme.auth).expect(400);
    expect(noScenario.body.errors[0].field).toBe('scenario_id');
    await t.http.get('/api/v1/analytics/item-distribution?scenario_id=nope&field=category').set(acme.auth).expect(404);
  });

  it('keeps tenants apart: another tenant gets 404 for this scenario and counts only its own items in its own', async () => {
    await t.http.get('/api/v1/analytics/item-distribution?scenario_id=feed&field=category').set(other.auth).expect(404);
    await t.http.post('/api/v1/scenarios').set(other.auth).send({ scenario_id: 'feed', name: 'Feed', scenario_type: 'ecommerce' }).expect(201);
    await t.http
      .post('/api/v1/items/feed/batch')
      .set(other.auth)
      .send({ items: [{ item_id: 'x1', metadata: { category: 'theirs' } }] })
      .expect(200);
    expect(await distribution('field=category', other.auth)).toMatchObject({ items: 1, distribution: [{ label: 'theirs', items: 1, percentage: 100 }] });
    expect((await distribution('field=category')).items).toBe(ITEMS);
  });
});
