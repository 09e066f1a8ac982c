import { generateSyntheticDataset } from '@lemo/synthetic';
import { createTenant, eventually, type TenantFixture, type TestApp } from '@lemo/testing';
import { ItemSimilarityBuilder } from '@lemo/features';
import { DEFAULT_APPENDED_SETTLE_MS } from '@lemo/storage-mongo';
import { createApiTestApp } from './api-test-app';

jest.setTimeout(120_000);

/**
 * The scripted walk: tenant → key → scenario → 200 items → 5,000
 * events → recommend, personalised, excluding what the user saw, and invisible
 * to another tenant.
 */
describe('REST walkthrough (embedded profile)', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let other: TenantFixture;
  const data = generateSyntheticDataset({ seed: 11, items: 200, users: 400, events: 5000, scenarioId: 'feed' });

  beforeAll(async () => {
    t = await createApiTestApp();
    acme = await createTenant(t, 'acme');
    other = await createTenant(t, 'other');
    // Diversity off: the ecommerce template caps a category at 2 of every 5 slots, which would hide how personal the ranking is.
    const config = { rerank: { diversity: { enabled: false } } };
    await t.http.post('/api/v1/scenarios').set(acme.auth).send({ scenario_id: 'feed', name: 'Feed', scenario_type: 'ecommerce', config }).expect(201);
    const batch = await t.http.post('/api/v1/items/feed/batch').set(acme.auth).send({ items: data.items }).expect(200);
    expect(batch.body.succeeded).toBe(200);
    for (let i = 0; i < data.events.length; i += 1000) {
      const res = await t.http.post('/api/v1/behaviors/track/batch').set(acme.auth).send({ events: data.events.slice(i, i + 1000) }).expect(200);
      expect(res.body.rejected).toBe(0);
    }
    // On MongoDB the builder reads events in arrival order only once their ids have settled (ids minted by
    // concurrent writers interleave within a second): wait that window out, as the next scheduled build would.
    if (t.config.drivers.documents === 'mongodb') await new Promise((settled) => setTimeout(settled, DEFAULT_APPENDED_SETTLE_MS + 1000));
    await t.app.get(ItemSimilarityBuilder).build('acme', 'feed', {});
  });

  afterAll(() => t.close());

  const recommend = (auth: Record<string, string>, body: object) => t.http.post('/api/v1/recommend').set(auth).send({ scenario_id: 'feed', ...body });

  it('recommends items from the user\'s own taste, excluding what they already interacted with', async () => {
    let hits = 0;
    let total = 0;
    // Typical users: the heaviest ones have already seen their whole category of this small catalogue.
    const typical = data.userIds.filter((u) => data.events.filter((e) => e.user_id === u).length >= 3).slice(-30);
    for (const userId of typical) {
      const res = await recommend(acme.auth, { user_id: userId, count: 10 }).expect(200);
      expect(res.body.items.length).toBe(10);
      const seen = new Set(data.events.filter((e) => e.user_id === userId).map((e) => e.item_id));
      for (const item of res.body.items) {
        expect(seen.has(item.item_id)).toBe(false);
        expect(item.reason).toEqual(expect.any(String));
        expect(item.reason.length).toBeGreaterThan(0);
        total += 1;
        if (data.itemCategory.get(item.item_id) === data.userCategory.get(userId)) hits += 1;
      }
    }
    // 12 categories: a non-personalised list would hit the user's category ~1/12 of the time.
    expect(hits / total).toBeGreaterThan(0.6);
  });

  it('gives different users different lists', async () => {
    const a = await recommend(acme.auth, { user_id: data.userIds[0], count: 10 }).expect(200);
    const b = await recommend(acme.auth, { user_id: data.userIds[1], count: 10 }).expect(200);
    expect(a.body.items.map((i: { item_id: string }) => i.item_id)).not.toEqual(b.body.items.map((i: { item_id: string }) => i.item_id));
  });

  it('pages with a cursor and never repeats an item', async () => {
    const first = await recommend(acme.auth, { user_id: data.userIds[2], count: 10 }).expect(200);
    const second = await recommend(acme.auth, { user_id: data.userIds[2], count: 10, cursor: first.body.next_cursor }).expect(200);
    const ids = [...first.body.items, ...second.body.items].map((i: { item_id: string }) => i.item_id);
    expect(second.body.items.length).toBe(10);
    expect(new Set(ids).size).toBe(20);
  });

  it('reflects a new event in the very next request', async () => {
    const userId = data.userIds[3];
    const before = await recommend(acme.auth, { user_id: userId, count: 5 }).expect(200);
    const clicked = before.body.items[0].item_id;
    await t.http.post('/api/v1/behaviors/track').set(acme.auth).send({ scenario_id: 'feed', user_id: userId, item_id: clicked, action_type: 'click' }).expect(200);
    const after = await recommend(acme.auth, { user_id: userId, count: 5 }).expect(200);
    expect(after.body.from_cache).toBe(false);
    expect(after.body.items.map((i: { item_id: string }) => i.item_id)).not.toContain(clicked);
  });

  it('serves a cold user from the fallback chain', async () => {
    const res = await recommend(acme.auth, { user_id: 'brand_new_user', count: 10 }).expect(200);
    expect(res.body.items.length).toBe(10);
  });

  it('applies request filters', async () => {
    const res = await recommend(acme.auth, { user_id: data.userIds[4], count: 10, filters: { categories: ['books'] } }).expect(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    for (const item of res.body.items) expect(item.metadata.category).toBe('books');
  });

  it('gives similar items and the popular and latest lists', async () => {
    const similar = await t.http.get('/api/v1/items/feed/item_000001/similar?count=5').set(acme.auth).expect(200);
    expect(similar.body.items.length).toBe(5);
    const popular = await t.http.get('/api/v1/recommend/popular?scenario_id=feed&count=5').set(acme.auth).expect(200);
    expect(popular.body.items.length).toBe(5);
    const latest = await t.http.get('/api/v1/recommend/latest?scenario_id=feed&count=5').set(acme.auth).expect(200);
    const times = latest.body.items.map((i: { metadata: { publish_time: number } }) => i.metadata.publish_time);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('builds a vector for a new item within seconds, so it is recommendable by content', async () => {
    await t.http
      .post('/api/v1/items/feed')
      .set(acme.auth)
      .send({ item_id: 'fresh_item', metadata: { title: 'wireless charger battery', category: 'electronics', tags: ['usb', 'smart'] } })
      .expect(201);
    await eventually(async () => {
      const res = await t.http.get('/api/v1/items/feed/fresh_item/similar?count=5').set(acme.auth);
      return res.status === 200 && res.body.items.length > 0;
    }, 20_000);
  });

  it('shows another tenant none of it', async () => {
    await recommend(other.auth, { user_id: data.userIds[0], count: 10 }).expect(404);
    await t.http.get('/api/v1/items/feed/item_000001').set(other.auth).expect(404);
    await t.http.get(`/api/v1/users/${data.userIds[0]}/profile`).set(other.auth).expect(404);
    await t.http.post('/api/v1/scenarios').set(other.auth).send({ scenario_id: 'feed', name: 'Other feed', scenario_type: 'ecommerce' }).expect(201);
    const res = await recommend(other.auth, { user_id: data.userIds[0], count: 10 }).expect(200);
    expect(res.body.items).toEqual([]);
  });
});
