import { createTenant, eventually, type TenantFixture, type TestApp } from '@lemo/testing';
import { createApiTestApp } from './api-test-app';

// 2,000 users assigned and ~7,000 events tracked through HTTP: minutes on a loaded 2-core machine.
jest.setTimeout(300_000);

/** mulberry32: a seed fixes every click of the run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RawEvent {
  scenario_id: string;
  user_id: string;
  item_id: string;
  action_type: 'impression' | 'click' | 'purchase' | 'like';
  experiment_id?: string;
  experiment_group?: string;
}

const USERS = 2000;
const IMPRESSIONS_PER_USER = 3;
const CLICK_PROBABILITY: Record<string, number> = { control: 0.08, treatment: 0.16 };
const PURCHASE_PROBABILITY = 0.2;
const ITEMS = 50;
/** Users who only like items (no impression, no experiment): active users, though never reached by an impression. */
const LIKE_ONLY_USERS = 30;

/**
 * The issue's experiment walk on the embedded profile: a 50/50 experiment on
 * a scenario, 2,000 users assigned through the API, impressions and clicks
 * tracked with their experiment group (treatment clicks twice as often), then
 * results, dashboard, trends, funnel, top items and export, each checked
 * against counts computed here from the raw events that were sent.
 */
describe('experiments and analytics (embedded profile)', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let other: TenantFixture;
  const sent: RawEvent[] = [];
  const groupOf = new Map<string, string>();

  const experiment = {
    experiment_id: 'exp_ranking',
    scenario_id: 'feed',
    name: 'Ranking test',
    hypothesis: 'the treatment ranking raises CTR',
    min_sample_size: 500,
    variants: [
      { variant_id: 'control', name: 'Control', traffic_percent: 50, is_control: true },
      { variant_id: 'treatment', name: 'Treatment', traffic_percent: 50, config_overrides: { recall: { total_limit: 300 } } },
    ],
  };

  beforeAll(async () => {
    t = await createApiTestApp();
    acme = await createTenant(t, 'acme');
    other = await createTenant(t, 'other');
    await t.http.post('/api/v1/scenarios').set(acme.auth).send({ scenario_id: 'feed', name: 'Feed', scenario_type: 'ecommerce' }).expect(201);
    const items = Array.from({ length: ITEMS }, (_, i) => ({ item_id: `i${i}`, metadata: { title: `Item ${i}`, category: `c${i % 5}` } }));
    await t.http.post('/api/v1/items/feed/batch').set(acme.auth).send({ items }).expect(200);
    await t.http.post('/api/v1/experiments').set(acme.auth).send(experiment).expect(201);
    await t.http.post('/api/v1/experiments/exp_ranking/start').set(acme.auth).expect(200);

    const userIds = Array.from({ length: USERS }, (_, i) => `u${i}`);
    for (let i = 0; i < userIds.length; i += 100) {
      await Promise.all(
        userIds.slice(i, i + 100).map(async (userId) => {
          const res = await t.http.get(`/api/v1/experiments/exp_ranking/assignments/${userId}`).set(acme.auth).expect(200);
          groupOf.set(userId, res.body.experiment_group);
        }),
      );
    }

    const random = seededRandom(20261129);
    for (const userId of userIds) {
      const group = groupOf.get(userId) ?? '';
      const base = { scenario_id: 'feed', user_id: userId, experiment_id: 'exp_ranking', experiment_group: group };
      for (let k = 0; k < IMPRESSIONS_PER_USER; k++) {
        const itemId = `i${Math.floor(random() * ITEMS)}`;
        sent.push({ ...base, item_id: itemId, action_type: 'impression' });
        if (random() < CLICK_PROBABILITY[group]) {
          sent.push({ ...base, item_id: itemId, action_type: 'click' });
          if (random() < PURCHASE_PROBABILITY) sent.push({ ...base, item_id: itemId, action_type: 'purchase' });
        }
      }
    }
    for (let i = 0; i < LIKE_ONLY_USERS; i++) sent.push({ scenario_id: 'feed', user_id: `liker${i}`, item_id: `i${i}`, action_type: 'like' });
    for (let i = 0; i < sent.length; i += 1000) {
      const res = await t.http.post('/api/v1/behaviors/track/batch').set(acme.auth).send({ events: sent.slice(i, i + 1000) }).expect(200);
      expect(res.body.rejected).toBe(0);
    }
    // The analytics store is fed from the bus: wait until every event arrived.
    await eventually(async () => {
      const res = await t.http.get('/api/v1/analytics/dashboard').set(acme.auth).expect(200);
      return res.body.events === sent.length;
    }, 60_000);
  });

  afterAll(() => t?.close());

  const count = (events: readonly RawEvent[], action: RawEvent['action_type']) => events.filter((e) => e.action_type === action).length;
  const distinctUsers = (events: readonly RawEvent[], action: RawEvent['action_type']) => new Set(events.filter((e) => e.action_type === action).map((e) => e.user_id)).size;

  it('assigns every user deterministically, about half to each variant', async () => {
    const groups = [...groupOf.values()];
    expect(new Set(groups)).toEqual(new Set(['control', 'treatment']));
    const control = groups.filter((g) => g === 'control').length;
    expect(control).toBeGreaterThan(USERS * 0.45);
    expect(control).toBeLessThan(USERS * 0.55);
    for (const userId of ['u0', 'u1', 'u2']) {
      const again = await t.http.get(`/api/v1/experiments/exp_ranking/assignments/${userId}`).set(acme.auth).expect(200);
      expect(again.body).toMatchObject({ experiment_group: groupOf.get(userId), assignment: { outcome: 'variant', variant_id: groupOf.get(userId) } });
    }
  });

  it('reports per-variant users, impressions, clicks and conversions equal to the raw events, and a significant lift', async () => {
    const res = await t.http.get('/api/v1/experiments/exp_ranking/results').set(acme.auth).expect(200);
    for (const variantId of ['control', 'treatment']) {
      const mine = sent.filter((e) => e.experiment_group === variantId);
      const variant = res.body.variants.find((v: { variant_id: string }) => v.variant_id === variantId);
      expect(variant).toMatchObject({
        users: distinctUsers(mine, 'impression'),
        impressions: count(mine, 'impression'),
        clicks: count(mine, 'click'),
        conversions: count(mine, 'purchase'),
      });
      expect(variant.metrics.ctr.value).toBeCloseTo(count(mine, 'click') / count(mine, 'impression'), 12);
    }
    const treatment = res.body.variants.find((v: { variant_id: string }) => v.variant_id === 'treatment');
    expect(treatment.metrics.ctr.vs_control).toMatchObject({ test: 'two_proportion_z', significant: true });
    expect(treatment.metrics.user_click_rate.vs_control.significant).toBe(true);
    expect(treatment.metrics.ctr.vs_control.absolute_lift_interval.lower).toBeGreaterThan(0);
    expect(treatment.metrics.ctr.vs_control.p_value).toBeLessThan(0.001);
    expect(res.body).toMatchObject({ control_variant_id: 'control', insufficient_sample: false, sample_ratio: { mismatch: false }, status: 'running', conversion_action: 'purchase' });
    expect(res.body.sample_size).toMatchObject({ metric: 'ctr', unit: 'impressions' });
    expect(res.body.sample_size.per_variant).toBeGreaterThan(0);
  });

  it('counts the dashboard from the same events', async () => {
    // The same request twice: computed, then answered from the response cache.
    for (let i = 0; i < 2; i++) await t.http.post('/api/v1/recommend').set(acme.auth).send({ scenario_id: 'feed', user_id: 'u1', count: 5 }).expect(200);
    const res = await t.http.get('/api/v1/analytics/dashboard?scenario_id=feed').set(acme.auth).expect(200);
    expect(res.body).toMatchObject({
      scenario_id: 'feed',
      impressions: count(sent, 'impression'),
      clicks: count(sent, 'click'),
      active_users: new Set(sent.map((e) => e.user_id)).size,
      impression_users: distinctUsers(sent, 'impression'),
      click_users: distinctUsers(sent, 'click'),
      events: sent.length,
      items: ITEMS,
    });
    // Active users are users with any action: the like-only users count, though they saw no impression.
    expect(res.body.active_users).toBe(USERS + LIKE_ONLY_USERS);
    expect(res.body.impression_users).toBe(USERS);
    expect(res.body.ctr).toBeCloseTo(count(sent, 'click') / count(sent, 'impression'), 12);
    // Latency comes from this process's HTTP histogram: the recommend call above is in it.
    expect(res.body.serving_latency).toMatchObject({ scope: 'process', requests: expect.any(Number), p95_ms: expect.any(Number) });
    expect(res.body.serving_latency.requests).toBeGreaterThanOrEqual(2);
    expect(res.body.recommendations_served).toEqual({ scope: 'process', served: 2, cache_hit_rate: 0.5 });
  });

  it('sums trends, the funnel and top items to the raw counts', async () => {
    for (const granularity of ['hour', 'day']) {
      const trend = await t.http.get(`/api/v1/analytics/trends?granularity=${granularity}&scenario_id=feed`).set(acme.auth).expect(200);
      const sum = (field: 'impressions' | 'clicks' | 'events') => trend.body.buckets.reduce((total: number, b: Record<string, number>) => total + b[field], 0);
      expect([sum('impressions'), sum('clicks'), sum('events')]).toEqual([count(sent, 'impression'), count(sent, 'click'), sent.length]);
    }
    const clicksOnly = await t.http.get('/api/v1/analytics/trends?actions=click').set(acme.auth).expect(200);
    expect(clicksOnly.body.points.every((p: { action_type: string }) => p.action_type === 'click')).toBe(true);

    const funnel = await t.http.get('/api/v1/analytics/funnel?steps=impression,click,purchase').set(acme.auth).expect(200);
    expect(funnel.body.steps.map((s: { users: number }) => s.users)).toEqual([distinctUsers(sent, 'impression'), distinctUsers(sent, 'click'), distinctUsers(sent, 'purchase')]);
    expect(funnel.body.steps[1].rate_from_previous).toBeCloseTo(distinctUsers(sent, 'click') / distinctUsers(sent, 'impression'), 12);

    const top = await t.http.get('/api/v1/analytics/top-items?scenario_id=feed&actions=click&limit=5').set(acme.auth).expect(200);
    const clicksByItem = new Map<string, number>();
    for (const e of sent) if (e.action_type === 'click') clicksByItem.set(e.item_id, (clicksByItem.get(e.item_id) ?? 0) + 1);
    const best = Math.max(...clicksByItem.values());
    expect(top.body.items).toHaveLength(5);
    expect(top.body.items[0].events).toBe(best);
    for (const item of top.body.items) expect(item.events).toBe(clicksByItem.get(item.item_id));
  });

  it('exports the range as JSON lines and as CSV, every event once', async () => {
    const jsonl = await t.http.get('/api/v1/analytics/export?scenario_id=feed&format=jsonl').set(acme.auth).buffer(true).parse(asText).expect(200);
    expect(jsonl.headers['content-type']).toContain('application/x-ndjson');
    const lines = (jsonl.body as string).trim().split('\n').map((line) => JSON.parse(line) as RawEvent & { event_id: string });
    expect(lines).toHaveLength(sent.length);
    expect(new Set(lines.map((e) => e.event_id)).size).toBe(sent.length);
    expect(lines.filter((e) => e.action_type === 'click' && e.experiment_group === 'treatment')).toHaveLength(sent.filter((e) => e.action_type === 'click' && e.experiment_group === 'treatment').length);

    const csv = await t.http.get('/api/v1/analytics/export?scenario_id=feed&format=csv').set(acme.auth).buffer(true).parse(asText).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = (csv.body as string).trim().split('\n');
    expect(rows[0].split(',').slice(0, 5)).toEqual(['event_id', 'scenario_id', 'user_id', 'item_id', 'action_type']);
    expect(rows).toHaveLength(sent.length + 1);

    const empty = await t.http.get('/api/v1/analytics/export?scenario_id=feed&from=0&to=1').set(acme.auth).buffer(true).parse(asText).expect(200);
    expect(empty.body).toBe('');
  });

  it('validates analytics queries naming the field', async () => {
    const backwards = await t.http.get('/api/v1/analytics/dashboard?from=2000&to=1000').set(acme.auth).expect(400);
    expect(backwards.body.errors).toEqual([{ field: 'to', message: expect.any(String) }]);
    const badAction = await t.http.get('/api/v1/analytics/trends?actions=click,teleport').set(acme.auth).expect(400);
    expect(badAction.body.errors[0].field).toBe('actions');
    await t.http.get('/api/v1/analytics/top-items').set(acme.auth).expect(400);
    await t.http.get('/api/v1/analytics/dashboard?scenario_id=nope').set(acme.auth).expect(404);
  });

  describe('lifecycle', () => {
    const base = (id: string, extra: object = {}) => ({
      experiment_id: id,
      scenario_id: 'feed',
      name: id,
      variants: [
        { variant_id: 'a', name: 'A', traffic_percent: 50, is_control: true },
        { variant_id: 'b', name: 'B', traffic_percent: 50 },
      ],
      ...extra,
    });
    const post = (path: string, body?: object) => t.http.post(`/api/v1/experiments${path}`).set(acme.auth).send(body);

    it('refuses bad definitions with 400 naming the field', async () => {
      const uneven = await post('', base('bad_sum', { variants: [{ variant_id: 'a', name: 'A', traffic_percent: 60 }, { variant_id: 'b', name: 'B', traffic_percent: 30 }] })).expect(400);
      expect(uneven.body.errors[0]).toMatchObject({ field: 'variants', message: expect.stringContaining('sum to 100') });
      const badOverride = await post(
        '',
        base('bad_override', { variants: [{ variant_id: 'a', name: 'A', traffic_percent: 50 }, { variant_id: 'b', name: 'B', traffic_percent: 50, config_overrides: { recall: { strategies: 'x' } } }] }),
      ).expect(400);
      expect(badOverride.body.errors[0].field).toMatch(/^variants\.1\.config_overrides\.recall\.strategies/);
      await post('', base('no_scenario', { scenario_id: 'missing' })).expect(404);
      await post('', base('exp_ranking')).expect(409);
    });

    it('walks draft → running ⇄ paused → completed → archived and refuses the other moves with 409', async () => {
      await post('', base('life', { layer: 'other_layer' })).expect(201);
      expect((await post('/life/pause').expect(409)).body.message).toContain('draft');
      await post('/life/stop').expect(409);
      expect((await post('/life/start').expect(200)).body).toMatchObject({ status: 'running', started_at: expect.any(String) });
      await post('/life/start').expect(409);
      await t.http.delete('/api/v1/experiments/life').set(acme.auth).expect(409);
      // Editing who is in which variant would reshuffle users while it runs.
      const reshuffle = await t.http.patch('/api/v1/experiments/life').set(acme.auth).send({ variants: base('x').variants.map((v) => ({ ...v, traffic_percent: 50 })) }).expect(409);
      expect(reshuffle.body.message).toContain('variants');
      await t.http.patch('/api/v1/experiments/life').set(acme.auth).send({ holdout_percent: 10 }).expect(409);
      expect((await t.http.patch('/api/v1/experiments/life').set(acme.auth).send({ name: 'Renamed' }).expect(200)).body.name).toBe('Renamed');
      const started = (await post('/life/pause').expect(200)).body;
      expect(started.status).toBe('paused');
      const resumed = (await post('/life/start').expect(200)).body;
      expect(resumed.started_at).toBe(started.started_at);
      expect((await post('/life/stop').expect(200)).body).toMatchObject({ status: 'completed', ended_at: expect.any(String) });
      await post('/life/start').expect(409);
      await post('/life/archive').expect(200);
      await post('/life/start').expect(409);
      await t.http.patch('/api/v1/experiments/life').set(acme.auth).send({ name: 'again' }).expect(409);
      await t.http.delete('/api/v1/experiments/life').set(acme.auth).expect(204);
      await t.http.get('/api/v1/experiments/life').set(acme.auth).expect(404);
    });

    it('allows one running experiment per scenario and layer slice', async () => {
      await post('', base('same_layer')).expect(201);
      const clash = await post('/same_layer/start').expect(409);
      expect(clash.body.message).toContain('exp_ranking');
      await post('', base('disjoint', { layer: 'slices', layer_slice: { from_percent: 0, to_percent: 50 } })).expect(201);
      await post('', base('disjoint2', { layer: 'slices', layer_slice: { from_percent: 50, to_percent: 100 } })).expect(201);
      await post('', base('overlap', { layer: 'slices', layer_slice: { from_percent: 40, to_percent: 60 } })).expect(201);
      await post('/disjoint/start').expect(200);
      await post('/disjoint2/start').expect(200);
      await post('/overlap/start').expect(409);
      // A draft may still change its variants.
      const edited = await t.http.patch('/api/v1/experiments/overlap').set(acme.auth).send({ variants: [{ variant_id: 'a', name: 'A', traffic_percent: 20, is_control: true }, { variant_id: 'b', name: 'B', traffic_percent: 80 }] }).expect(200);
      expect(edited.body.variants.map((v: { traffic_percent: number }) => v.traffic_percent)).toEqual([20, 80]);
      const listed = await t.http.get('/api/v1/experiments?scenario_id=feed&status=running').set(acme.auth).expect(200);
      expect(listed.body.items.map((e: { experiment_id: string }) => e.experiment_id).sort()).toEqual(['disjoint', 'disjoint2', 'exp_ranking']);
      await post('/disjoint/stop').expect(200);
      await post('/disjoint2/stop').expect(200);
    });

    it('reports empty results for an experiment without events', async () => {
      const res = await t.http.get('/api/v1/experiments/same_layer/results').set(acme.auth).expect(200);
      expect(res.body.variants.map((v: { users: number; impressions: number }) => [v.users, v.impressions])).toEqual([
        [0, 0],
        [0, 0],
      ]);
      expect(res.body.insufficient_sample).toBe(true);
    });
  });

  it('hides every experiment route from another tenant (404)', async () => {
    const b = other.auth;
    await t.http.get('/api/v1/experiments/exp_ranking').set(b).expect(404);
    await t.http.patch('/api/v1/experiments/exp_ranking').set(b).send({ name: 'hijack' }).expect(404);
    for (const action of ['start', 'pause', 'stop', 'archive']) await t.http.post(`/api/v1/experiments/exp_ranking/${action}`).set(b).expect(404);
    await t.http.get('/api/v1/experiments/exp_ranking/results').set(b).expect(404);
    await t.http.get('/api/v1/experiments/exp_ranking/assignments/u1').set(b).expect(404);
    await t.http.get('/api/v1/experiments/exp_ranking/assignments').set(b).expect(404);
    await t.http.delete('/api/v1/experiments/exp_ranking').set(b).expect(404);
    await t.http.post('/api/v1/experiments').set(b).send({ ...experiment, experiment_id: 'theirs' }).expect(404);
    expect((await t.http.get('/api/v1/experiments').set(b).expect(200)).body.items).toEqual([]);
    const dashboard = await t.http.get('/api/v1/analytics/dashboard').set(b).expect(200);
    expect([dashboard.body.events, dashboard.body.impressions]).toEqual([0, 0]);
    await t.http.get('/api/v1/analytics/export?scenario_id=feed').set(b).expect(404);
    expect((await t.http.get('/api/v1/analytics/dashboard').set(b).expect(200)).body.active_users).toBe(0);
    // Tenant A's experiment is untouched.
    expect((await t.http.get('/api/v1/experiments/exp_ranking').set(acme.auth).expect(200)).body).toMatchObject({ status: 'running', name: 'Ranking test' });
  });
});

/** Reads any response body as text (supertest only buffers text/* and JSON by itself). */
function readText(res: NodeJS.ReadableStream & { setEncoding(encoding: string): void }, callback: (error: Error | null, body: string) => void): void {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () => callback(null, body));
}

type BodyParser = Parameters<ReturnType<TestApp['http']['get']>['parse']>[0];
const asText = readText as unknown as BodyParser;
