import {
  CacheCleanupJobRunner,
  PrecomputedLists,
  profilesStateKey,
  StoredProfiles,
  type CacheCleanupResult,
  type PrecomputedList,
} from '@lemo/application';
import { Cache, cacheKey, FeatureStore, VectorIndex } from '@lemo/domain';
import { UserVectors } from '@lemo/recall';
import { createTenant, eventually, type TenantFixture, type TestApp } from '@lemo/testing';
import { createApiTestApp } from './api-test-app';

jest.setTimeout(120_000);

interface JobBody {
  queue: string;
  job_id: string;
  name: string;
  status: string;
  result: unknown;
}

/**
 * The user profile, precompute and cache cleanup jobs on small data with known
 * answers, run by the worker of the app through POST /jobs (this suite runs on
 * the embedded profile and, in jest.cluster.config.js, on Redis, MongoDB, Bull
 * and Milvus).
 */
describe('background work: user profiles, precompute, cache cleanup', () => {
  let t: TestApp;
  let acme: TenantFixture;
  const now = Date.now();
  const minutesAgo = (m: number) => now - m * 60_000;

  beforeAll(async () => {
    t = await createApiTestApp();
    acme = await createTenant(t, 'acme');
    for (const scenario_id of ['shop', 'old']) {
      await t.http.post('/api/v1/scenarios').set(acme.auth).send({ scenario_id, name: scenario_id, scenario_type: 'ecommerce' }).expect(201);
    }
    const items = [
      ...Array.from({ length: 8 }, (_, i) => ({ item_id: `shoe_${i}`, metadata: { title: `Running shoe ${i}`, category: 'shoes', tags: ['sport', 'feet'] } })),
      ...Array.from({ length: 8 }, (_, i) => ({ item_id: `hat_${i}`, metadata: { title: `Woollen hat ${i}`, category: 'hats', tags: ['winter'] } })),
    ];
    for (const scenario of ['shop', 'old']) await t.http.post(`/api/v1/items/${scenario}/batch`).set(acme.auth).send({ items }).expect(200);
    const vectors = t.app.get(VectorIndex);
    await eventually(async () => (await vectors.count('acme', 'shop')) === items.length && (await vectors.count('acme', 'old')) === items.length, 30_000);
  });

  afterAll(() => t?.close());

  const track = (events: object[]) => t.http.post('/api/v1/behaviors/track/batch').set(acme.auth).send({ events }).expect(200);
  const runJob = async (body: object): Promise<JobBody> => {
    const started = (await t.http.post('/api/v1/jobs').set(acme.auth).send(body).expect(202)).body as JobBody;
    let finished = started;
    await eventually(async () => {
      finished = (await t.http.get(`/api/v1/jobs/${started.queue}/${encodeURIComponent(started.job_id)}`).set(acme.auth).expect(200)).body as JobBody;
      return finished.status === 'completed' || finished.status === 'failed';
    }, 60_000);
    expect(finished.status).toBe('completed');
    return finished;
  };
  const recommend = async (userId: string, count = 5) =>
    (await t.http.post('/api/v1/recommend').set(acme.auth).send({ scenario_id: 'shop', user_id: userId, count }).expect(200)).body as {
      items: Array<{ item_id: string }>;
      from_cache: boolean;
    };

  describe('user profiles', () => {
    it('stores each active user\'s counters, preferred categories and tags, active hours and vector; the profile endpoint adds newer events', async () => {
      // fan: 5 likes of shoes and 1 of a hat, at known hours.
      await track([
        ...Array.from({ length: 5 }, (_, i) => ({ event_id: `fan-${i}`, scenario_id: 'shop', user_id: 'fan', item_id: `shoe_${i}`, action_type: 'like', timestamp: minutesAgo(50 - i) })),
        { event_id: 'fan-5', scenario_id: 'shop', user_id: 'fan', item_id: 'hat_0', action_type: 'like', timestamp: minutesAgo(40) },
      ]);
      const run = await runJob({ job: 'user_profiles', scenario_id: 'shop' });
      expect(run).toMatchObject({ queue: 'user_profile', name: 'user_profiles' });
      expect(run.result).toMatchObject({ users: 1, profiles: 1, vectors: 1, capped: false });

      const stored = await t.app.get(StoredProfiles).get('acme', 'fan');
      expect(stored).toMatchObject({ total_events: 6, action_counts: { like: 6 }, category_counts: { shoes: 5, hats: 1 }, tag_counts: { sport: 5, feet: 5, winter: 1 } });
      expect(stored?.active_hours.reduce((a, b) => a + b, 0)).toBe(6);
      expect(stored?.last_seen_at).toBe(minutesAgo(40));
      const profile = (await t.http.get('/api/v1/users/fan/profile').set(acme.auth).expect(200)).body;
      expect(profile.preferred_categories).toEqual([
        { category: 'shoes', score: 0.833 },
        { category: 'hats', score: 0.167 },
      ]);

      // No model is trained: the vector is the weighted mean of the liked items' content vectors (equal weights here).
      const vector = await t.app.get(UserVectors).get('acme', 'fan', 'shop');
      expect(vector).toMatchObject({ namespace: 'shop', source: 'items', model_version: null, last_event_at: minutesAgo(40) });
      const itemVectors = await t.app.get(VectorIndex).get('acme', 'shop', ['shoe_0', 'shoe_1', 'shoe_2', 'shoe_3', 'shoe_4', 'hat_0']);
      const mean = Array.from({ length: t.config.vectorDimension }, (_, d) => [...itemVectors.values()].reduce((sum, v) => sum + v[d], 0) / 6);
      vector?.vector.forEach((value, d) => expect(value).toBeCloseTo(mean[d], 5));

      // A newer event shows in the profile at once (merged over the stored one, which stays as the job wrote it).
      await track([{ event_id: 'fan-6', scenario_id: 'shop', user_id: 'fan', item_id: 'hat_1', action_type: 'purchase', timestamp: minutesAgo(10) }]);
      const merged = (await t.http.get('/api/v1/users/fan/profile').set(acme.auth).expect(200)).body;
      expect(merged).toMatchObject({ total_events: 7, action_counts: { like: 6, purchase: 1 }, last_seen_at: minutesAgo(10) });
      expect(merged.preferred_categories).toEqual([
        { category: 'shoes', score: 0.714 },
        { category: 'hats', score: 0.286 },
      ]);
      expect((await t.app.get(StoredProfiles).get('acme', 'fan'))?.total_events).toBe(6);
    });

    it('is idempotent: a second run over the same events stores the same profile, counted once', async () => {
      await t.app.get(Cache).delete(profilesStateKey('acme', 'shop'));
      await runJob({ job: 'user_profiles', scenario_id: 'shop' });
      await t.app.get(Cache).delete(profilesStateKey('acme', 'shop'));
      await runJob({ job: 'user_profiles', scenario_id: 'shop' });
      expect(await t.app.get(StoredProfiles).get('acme', 'fan')).toMatchObject({ total_events: 7, category_counts: { shoes: 5, hats: 2 } });
      const profile = (await t.http.get('/api/v1/users/fan/profile').set(acme.auth).expect(200)).body;
      expect(profile.total_events).toBe(7);
    });

    it('with a trained factor model, stores the user\'s model row in that model\'s space', async () => {
      const events = Array.from({ length: 60 }, (_, i) => ({ scenario_id: 'shop', user_id: `u${i % 6}`, item_id: i % 2 ? `shoe_${i % 8}` : `hat_${i % 8}`, action_type: 'click', timestamp: minutesAgo(30) }));
      await track(events);
      await runJob({ job: 'recall_training', scenario_id: 'shop', algorithm: 'als', params: { factors: t.config.vectorDimension, iterations: 3 } });
      // Serving processes pick a new deployment up within 5 s (TrainedRecallModels): re-run until this one has.
      await eventually(async () => {
        await t.app.get(Cache).delete(profilesStateKey('acme', 'shop'));
        await runJob({ job: 'user_profiles', scenario_id: 'shop' });
        return (await t.app.get(UserVectors).get('acme', 'u1', 'shop'))?.source === 'model';
      }, 30_000, 1000);
      const vector = await t.app.get(UserVectors).get('acme', 'u1', 'shop');
      expect(vector).toMatchObject({ namespace: 'shop#als', source: 'model', model_version: 'v1' });
      expect(vector?.vector).toHaveLength(t.config.vectorDimension);
    });
  });

  describe('precompute', () => {
    it('stores the real pipeline\'s list; serving answers from it until the user acts again', async () => {
      await track([
        { scenario_id: 'shop', user_id: 'reader', item_id: 'shoe_6', action_type: 'click', timestamp: minutesAgo(20) },
        { scenario_id: 'shop', user_id: 'reader', item_id: 'shoe_7', action_type: 'click', timestamp: minutesAgo(19) },
      ]);
      const fresh = (await t.http.post('/api/v1/recommend').set(acme.auth).send({ scenario_id: 'shop', user_id: 'reader', count: 20, debug: true }).expect(200)).body as {
        items: Array<{ item_id: string }>;
      };
      const run = await runJob({ job: 'precompute', scenario_id: 'shop' });
      expect(run).toMatchObject({ queue: 'default', name: 'precompute' });
      expect(run.result).toMatchObject({ stored: expect.any(Number), failed: 0 });
      const lists = t.app.get(PrecomputedLists);
      const stored = await lists.get('acme', 'reader', 'shop');
      // The same pipeline as a request: every item but the two seen ones (the order may move with the similarity
      // rebuild the new events queued, so the lists are compared as sets).
      const ids = (stored?.items ?? []).map((i) => i.item_id);
      expect(new Set(ids)).toEqual(new Set(fresh.items.map((i) => i.item_id)));
      expect(ids).toHaveLength(14);
      expect(ids).not.toEqual(expect.arrayContaining(['shoe_6']));
      expect(ids).not.toEqual(expect.arrayContaining(['shoe_7']));

      // Mark the stored list so that serving from it is visible: a request answers with it.
      const marked: PrecomputedList = { ...(stored as PrecomputedList), items: (stored as PrecomputedList).items.slice().reverse() };
      await lists.put('acme', 'reader', 'shop', marked);
      const served = await recommend('reader');
      expect(served.items.map((i) => i.item_id)).toEqual(marked.items.slice(0, 5).map((i) => i.item_id));
      expect(served.from_cache).toBe(true);

      // An item deleted since the precompute is not served from the list (4 items: not the cached response of 5).
      const removed = marked.items[1].item_id;
      await t.http.delete(`/api/v1/items/shop/${removed}`).set(acme.auth).expect((res) => expect([200, 204]).toContain(res.status));
      const withoutRemoved = await recommend('reader', 4);
      expect(withoutRemoved.from_cache).toBe(true);
      expect(withoutRemoved.items.map((i) => i.item_id)).toEqual(marked.items.filter((i) => i.item_id !== removed).slice(0, 4).map((i) => i.item_id));

      // The user acts: the next answer is computed afresh (and excludes what they just bought).
      await track([{ scenario_id: 'shop', user_id: 'reader', item_id: marked.items[0].item_id, action_type: 'purchase' }]);
      const after = await recommend('reader');
      expect(after.from_cache).toBe(false);
      expect(after.items.map((i) => i.item_id)).not.toContain(marked.items[0].item_id);
    });

    it('does not answer requests it was not computed for (filters, larger pages)', async () => {
      await runJob({ job: 'precompute', scenario_id: 'shop' });
      const stored = (await t.app.get(PrecomputedLists).get('acme', 'fan', 'shop')) as PrecomputedList;
      await t.app.get(PrecomputedLists).put('acme', 'fan', 'shop', { ...stored, items: stored.items.slice().reverse() });
      const filtered = (await t.http.post('/api/v1/recommend').set(acme.auth).send({ scenario_id: 'shop', user_id: 'fan', count: 3, filters: { categories: ['hats'] } }).expect(200)).body;
      expect(filtered.from_cache).toBe(false);
      const large = await recommend('fan', 50);
      expect(large.from_cache).toBe(false);
    });
  });

  describe('cache cleanup', () => {
    it('removes exactly the orphaned keys and counts them', async () => {
      const cache = t.app.get(Cache);
      const features = t.app.get(FeatureStore);
      // Keys of the scenario about to be deleted: a precomputed list, a user vector, hot scores and neighbours.
      await track([{ scenario_id: 'old', user_id: 'fan', item_id: 'hat_3', action_type: 'like', timestamp: minutesAgo(5) }]);
      await runJob({ job: 'precompute', scenario_id: 'old' });
      await cache.delete(profilesStateKey('acme', 'old'));
      await runJob({ job: 'user_profiles', scenario_id: 'old' });
      await features.setNeighbours('acme', 'old', 'hat_3', [{ item_id: 'hat_4', score: 1 }]);
      expect(await t.app.get(PrecomputedLists).get('acme', 'fan', 'old')).not.toBeNull();
      await t.http.delete('/api/v1/scenarios/old').set(acme.auth).expect(204);
      // A stored profile and vector of a user with neither record nor events (erased elsewhere).
      await t.app.get(StoredProfiles).put('acme', { ...(await t.app.get(StoredProfiles).get('acme', 'fan'))!, user_id: 'ghost:user' });
      await t.app.get(UserVectors).put('acme', 'ghost:user', 'shop', (await t.app.get(UserVectors).get('acme', 'fan', 'shop'))!);
      // A precomputed list whose user has acted since: never servable again.
      await runJob({ job: 'precompute', scenario_id: 'shop' });
      await track([{ scenario_id: 'shop', user_id: 'u2', item_id: 'hat_5', action_type: 'click' }]);
      // What must stay: the live lists of the other users, profiles and hot scores of 'shop'.
      const keep = [t.app.get(PrecomputedLists).get('acme', 'fan', 'shop'), t.app.get(StoredProfiles).get('acme', 'fan'), t.app.get(UserVectors).get('acme', 'fan', 'shop')];
      for (const value of await Promise.all(keep)) expect(value).not.toBeNull();

      const run = await runJob({ job: 'cache_cleanup' });
      expect(run).toMatchObject({ queue: 'default', name: 'cache_cleanup' });
      expect((run.result as CacheCleanupResult).removed).toEqual({ unknown_tenant: 0, deleted_scenario: 3, deleted_user: 2, stale_precomputed: 1 });
      expect(run.result).toMatchObject({ tenants: 1, feature_scenarios_removed: 1, hot_scores_trimmed: 0 });

      expect(await t.app.get(PrecomputedLists).get('acme', 'fan', 'old')).toBeNull();
      expect(await t.app.get(UserVectors).get('acme', 'fan', 'old')).toBeNull();
      expect(await cache.get(profilesStateKey('acme', 'old'))).toBeNull();
      expect(await t.app.get(StoredProfiles).get('acme', 'ghost:user')).toBeNull();
      expect(await t.app.get(PrecomputedLists).get('acme', 'u2', 'shop')).toBeNull();
      expect(await features.topHot('acme', 'old', 10, Date.now())).toEqual([]);
      expect((await features.neighbours('acme', 'old', ['hat_3'])).size).toBe(0);
      for (const value of await Promise.all([t.app.get(PrecomputedLists).get('acme', 'fan', 'shop'), t.app.get(StoredProfiles).get('acme', 'fan'), t.app.get(UserVectors).get('acme', 'fan', 'shop')])) {
        expect(value).not.toBeNull();
      }
      expect((await features.topHot('acme', 'shop', 50, Date.now())).length).toBeGreaterThan(0);

      // A second run finds nothing left to remove.
      const again = await runJob({ job: 'cache_cleanup' });
      expect((again.result as CacheCleanupResult).removed).toEqual({ unknown_tenant: 0, deleted_scenario: 0, deleted_user: 0, stale_precomputed: 0 });
    });

    it('the deployment-wide run also removes the keys of tenants that no longer exist', async () => {
      const cache = t.app.get(Cache);
      const features = t.app.get(FeatureStore);
      await cache.set(cacheKey('gone', 'uprofile', 'u1'), { user_id: 'u1' }, 3600);
      await cache.set(cacheKey('gone', 'rec', 'u1', '0', 'x'), [], 3600);
      // The platform's own keys (no tenant id) are never taken for an unknown tenant's.
      await cache.set(cacheKey('_system', 'stream-jobs', 'sink', 'desired'), 'paused', 3600);
      await features.addHotScores([{ tenantId: 'gone', scenarioId: 'feed', itemId: 'i1', weight: 1, at: Date.now() }], 24);
      const result = await t.app.get(CacheCleanupJobRunner).run({ tenant_id: null }, async () => undefined, () => false);
      expect(result.removed).toEqual({ unknown_tenant: 2, deleted_scenario: 0, deleted_user: 0, stale_precomputed: 0 });
      expect(result.feature_scenarios_removed).toBe(1);
      expect(await cache.get(cacheKey('gone', 'uprofile', 'u1'))).toBeNull();
      expect(await cache.get(cacheKey('_system', 'stream-jobs', 'sink', 'desired'))).toBe('paused');
      expect(await features.topHot('gone', 'feed', 10, Date.now())).toEqual([]);
      expect(await t.app.get(StoredProfiles).get('acme', 'fan')).not.toBeNull();
    });
  });

  it('POST /jobs validates the new jobs\' scope', async () => {
    const bad = async (body: object, field: string) => {
      const res = await t.http.post('/api/v1/jobs').set(acme.auth).send(body).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await bad({ job: 'cache_cleanup', scenario_id: 'shop' }, 'scenario_id');
    await bad({ job: 'precompute' }, 'scenario_id');
    await bad({ job: 'user_profiles' }, 'scenario_id');
  });
});
