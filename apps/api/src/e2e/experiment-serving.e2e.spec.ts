import { eventually } from '@lemo/domain/testing';
import { createTenant, type TenantFixture, type TestApp } from '@lemo/testing';
import { createApiTestApp } from './api-test-app';

// 200 users served through HTTP before the tests: minutes on the cluster profile of a loaded 2-core machine.
jest.setTimeout(300_000);

const USERS = 200;

/**
 * An experiment applied when serving: POST /recommend resolves the user's
 * variant, serves with its config overrides, and says which experiment and
 * variant served; a click that only echoes the response's request_id counts
 * for that variant in the results.
 */
describe('experiments applied at serving time (REST)', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let other: TenantFixture;
  const served = new Map<string, { request_id: string; variant_id: string; strategies: Set<string>; first_item: string }>();

  beforeAll(async () => {
    t = await createApiTestApp();
    acme = await createTenant(t, 'acme');
    other = await createTenant(t, 'other');
    await t.http.post('/api/v1/scenarios').set(acme.auth).send({ scenario_id: 'feed', name: 'Feed', scenario_type: 'ecommerce' }).expect(201);
    const items = Array.from({ length: 40 }, (_, i) => ({ item_id: `i${i}`, metadata: { title: `Item ${i}`, category: `c${i % 4}` } }));
    await t.http.post('/api/v1/items/feed/batch').set(acme.auth).send({ items }).expect(200);
    const experiment = {
      experiment_id: 'exp_latest',
      scenario_id: 'feed',
      name: 'Latest only',
      variants: [
        { variant_id: 'control', name: 'Control', traffic_percent: 50, is_control: true },
        { variant_id: 'latest_only', name: 'Latest only', traffic_percent: 50, config_overrides: { recall: { strategies: [{ name: 'latest', weight: 1, limit: 100 }] } } },
      ],
    };
    await t.http.post('/api/v1/experiments').set(acme.auth).send(experiment).expect(201);
    await t.http.post('/api/v1/experiments/exp_latest/start').set(acme.auth).expect(200);
    for (let u = 0; u < USERS; u++) {
      const userId = `u${u}`;
      const res = await t.http.post('/api/v1/recommend').set(acme.auth).send({ scenario_id: 'feed', user_id: userId, count: 5 }).expect(200);
      served.set(userId, {
        request_id: res.body.request_id,
        variant_id: res.body.variant_id,
        strategies: new Set(res.body.items.map((item: { strategy: string }) => item.strategy)),
        first_item: res.body.items[0].item_id,
      });
      expect(res.body.experiment_id).toBe('exp_latest');
    }
  });

  afterAll(() => t.close());

  it("serves each user the variant of their deterministic assignment, with that variant's config", async () => {
    const counts: Record<string, number> = {};
    for (const [userId, response] of served) {
      const assignment = (await t.http.get(`/api/v1/experiments/exp_latest/assignments/${userId}`).set(acme.auth).expect(200)).body;
      expect(response.variant_id).toBe(assignment.experiment_group);
      counts[response.variant_id] = (counts[response.variant_id] ?? 0) + 1;
      if (response.variant_id === 'latest_only') expect([...response.strategies]).toEqual(['latest']);
    }
    expect(counts.control).toBeGreaterThan(USERS * 0.35);
    expect(counts.latest_only).toBeGreaterThan(USERS * 0.35);
  });

  it('records who was served in which variant once per user, with the first time, listed in pages with counts per variant', async () => {
    const startedBefore = Date.now();
    // Served again: the recorded assignment keeps the first time.
    for (const userId of ['u0', 'u1', 'u2']) await t.http.post('/api/v1/recommend').set(acme.auth).send({ scenario_id: 'feed', user_id: userId, count: 5 }).expect(200);
    const expectedCounts = { control: 0, latest_only: 0 } as Record<string, number>;
    for (const response of served.values()) expectedCounts[response.variant_id] += 1;
    // Written off the request path, within about a second.
    const listed = await eventually(async () => {
      const res = await t.http.get('/api/v1/experiments/exp_latest/assignments?page_size=1000').set(acme.auth).expect(200);
      expect(res.body.total_users).toBe(USERS);
      return res.body;
    }, 20_000, 200);
    expect(listed.counts).toEqual([
      { variant_id: 'control', users: expectedCounts.control },
      { variant_id: 'latest_only', users: expectedCounts.latest_only },
    ]);
    expect(listed.page_info).toMatchObject({ page: 1, page_size: 1000, total: USERS, has_next: false });
    const userIds = [...served.keys()].sort();
    expect(listed.items.map((a: { user_id: string }) => a.user_id)).toEqual(userIds);
    for (const assignment of listed.items as Array<{ experiment_id: string; user_id: string; variant_id: string; assigned_at: number }>) {
      expect(assignment.experiment_id).toBe('exp_latest');
      expect(assignment.variant_id).toBe(served.get(assignment.user_id)?.variant_id);
      expect(assignment.assigned_at).toBeLessThan(startedBefore);
    }

    const page2 = (await t.http.get('/api/v1/experiments/exp_latest/assignments?page=2&page_size=50').set(acme.auth).expect(200)).body;
    expect(page2.items.map((a: { user_id: string }) => a.user_id)).toEqual(userIds.slice(50, 100));
    expect(page2.page_info).toMatchObject({ page: 2, total: USERS, has_next: true, has_prev: true });
    const treated = (await t.http.get('/api/v1/experiments/exp_latest/assignments?variant_id=latest_only&page_size=1000').set(acme.auth).expect(200)).body;
    expect(treated.page_info.total).toBe(expectedCounts.latest_only);
    expect(treated.items.every((a: { variant_id: string }) => a.variant_id === 'latest_only')).toBe(true);
    expect(treated.counts).toEqual(listed.counts);
    const one = (await t.http.get('/api/v1/experiments/exp_latest/assignments?user_id=u7').set(acme.auth).expect(200)).body;
    expect(one.items).toEqual([expect.objectContaining({ user_id: 'u7', variant_id: served.get('u7')?.variant_id })]);

    // The single user's view shows the computed assignment and what serving recorded.
    const u0 = (await t.http.get('/api/v1/experiments/exp_latest/assignments/u0').set(acme.auth).expect(200)).body;
    expect(u0.recorded).toEqual({ variant_id: served.get('u0')?.variant_id, assigned_at: listed.items.find((a: { user_id: string }) => a.user_id === 'u0').assigned_at });
    const never = (await t.http.get('/api/v1/experiments/exp_latest/assignments/never-served').set(acme.auth).expect(200)).body;
    expect(never).toMatchObject({ recorded: null, experiment_group: expect.any(String) });

    await t.http.get('/api/v1/experiments/exp_latest/assignments?page_size=0').set(acme.auth).expect(400);
    await t.http.get('/api/v1/experiments/exp_latest/assignments?bogus=1').set(acme.auth).expect(400);
    await t.http.get('/api/v1/experiments/nope/assignments').set(acme.auth).expect(404);
    // Another tenant sees neither the experiment nor its assignments.
    await t.http.get('/api/v1/experiments/exp_latest/assignments').set(other.auth).expect(404);
    await t.http.get('/api/v1/experiments/exp_latest/assignments/u0').set(other.auth).expect(404);
  });

  it("attributes clicks that carry only the response's request_id to the variant that served it", async () => {
    const events = [...served].flatMap(([userId, response]) => [
      { scenario_id: 'feed', user_id: userId, item_id: response.first_item, action_type: 'impression', request_id: response.request_id },
      ...(response.variant_id === 'latest_only' ? [{ scenario_id: 'feed', user_id: userId, item_id: response.first_item, action_type: 'click', request_id: response.request_id }] : []),
    ]);
    for (let i = 0; i < events.length; i += 500) {
      const res = await t.http.post('/api/v1/behaviors/track/batch').set(acme.auth).send({ events: events.slice(i, i + 500) }).expect(200);
      expect(res.body.rejected).toBe(0);
    }
    const treated = [...served.values()].filter((r) => r.variant_id === 'latest_only').length;
    await eventually(async () => {
      const results = (await t.http.get('/api/v1/experiments/exp_latest/results').set(acme.auth).expect(200)).body;
      const byVariant = Object.fromEntries(results.variants.map((v: { variant_id: string; impressions: number; clicks: number; users: number }) => [v.variant_id, v]));
      expect(byVariant.latest_only).toMatchObject({ impressions: treated, clicks: treated, users: treated });
      expect(byVariant.control).toMatchObject({ impressions: USERS - treated, clicks: 0 });
    }, 20_000, 200);
  });
});
