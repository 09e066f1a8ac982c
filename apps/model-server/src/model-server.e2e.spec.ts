import { ModelsUseCase, RankerTrainingUseCase, ScenariosUseCase, TenantAdminUseCase, TrackBehaviorsUseCase, ItemsUseCase } from '@lemo/application';
import { ModelArtifactStore } from '@lemo/domain';
import { LearnedRanker, loadTensorflow, ServedRankers, type TensorflowNamespace } from '@lemo/ranking';
import { generateSyntheticDataset } from '@lemo/synthetic';
import { createTestApp, type TestApp } from '@lemo/testing';
import { configureModelServerHttp, ModelServerHttpModule } from './model-server.module';

jest.setTimeout(180_000);

const ACME = { 'X-Tenant-Id': 'acme' };
const OTHER = { 'X-Tenant-Id': 'other' };

/** The model-server app on the embedded profile, over a learned ranker really trained by the ranker training use case. */
describe('model-server HTTP API (embedded)', () => {
  let t: TestApp;
  let tf: TensorflowNamespace;
  const data = generateSyntheticDataset({ seed: 11, items: 120, users: 100, events: 1500, scenarioId: 'shop' });
  const candidates = data.items.slice(0, 20).map((item) => ({
    item_id: item.item_id,
    category: String(item.metadata?.category),
    tags: item.metadata?.tags as string[],
    published_at: Number(item.metadata?.publish_time),
  }));
  const context = { user_id: data.userIds[3], timestamp: Date.parse('2026-11-02T10:00:00Z') };

  const train = (deploy: boolean) => t.app.get(RankerTrainingUseCase).train({ tenant_id: 'acme', scenario_id: 'shop', algorithm: 'lr', deploy });
  const predict = (body: object, headers: Record<string, string> = ACME, path = '/v1/models/shop/lr/predict') => t.http.post(path).set(headers).send(body);

  beforeAll(async () => {
    // A short poll interval: the hot-swap test waits for the poller to see a deployment.
    t = await createTestApp({ modules: [ModelServerHttpModule], configure: configureModelServerHttp, env: { MODEL_SERVER_POLL_MS: '100' } });
    tf = (await loadTensorflow()).tf;
    const tenants = t.app.get(TenantAdminUseCase);
    const scenarios = t.app.get(ScenariosUseCase);
    for (const tenant of ['acme', 'other']) {
      await tenants.createTenant({ tenant_id: tenant, name: tenant, quotas: {} });
      await scenarios.create(tenant, { scenario_id: 'shop', name: 'Shop', scenario_type: 'ecommerce', description: '', status: 'active' });
    }
    await t.app.get(ItemsUseCase).batchUpsert('acme', 'shop', data.items);
    for (let i = 0; i < data.events.length; i += 1000) {
      const results = await t.app.get(TrackBehaviorsUseCase).track('acme', data.events.slice(i, i + 1000));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    }
    const trained = await train(true);
    expect(trained).toMatchObject({ model_id: 'shop.lr', version: 'v1', deployed: true });
  });

  afterAll(() => t.close());

  it('scores candidates with the deployed version, exactly as the trained artifact scores them in-process', async () => {
    const res = await predict({ context, candidates }).expect(200);
    expect(res.body).toMatchObject({ tenant_id: 'acme', scenario_id: 'shop', model: 'lr', version: 'v1' });
    expect(res.body.scores).toHaveLength(candidates.length);
    const bytes = await t.app.get(ModelArtifactStore).get('acme', 'rank/shop.lr/v1');
    const reference = await LearnedRanker.load(bytes!);
    const expected = reference.score(
      { userId: context.user_id, now: context.timestamp },
      candidates.map((c) => ({ itemId: c.item_id, category: c.category, tags: c.tags, publishedAt: c.published_at })),
    );
    reference.dispose();
    res.body.scores.forEach((score: number, i: number) => expect(score).toBeCloseTo(expected[i], 6));
    // A trained model tells candidates apart.
    expect(new Set(res.body.scores.map((s: number) => s.toFixed(6))).size).toBeGreaterThan(1);
  });

  it('scores many candidate lists in one batch call, each as a single call would', async () => {
    const lists = [0, 1, 2].map((u) => ({ context: { user_id: data.userIds[u], timestamp: context.timestamp }, candidates: candidates.slice(u, u + 10) }));
    const batch = await predict({ requests: lists }, ACME, '/v1/models/shop/lr/predict/batch').expect(200);
    expect(batch.body).toMatchObject({ tenant_id: 'acme', model: 'lr', version: 'v1' });
    expect(batch.body.results).toHaveLength(3);
    for (const [i, list] of lists.entries()) {
      const single = await predict(list).expect(200);
      batch.body.results[i].scores.forEach((score: number, k: number) => expect(score).toBeCloseTo(single.body.scores[k], 6));
    }
  });

  it('lists the loaded models with their load time and requests served', async () => {
    const res = await t.http.get('/v1/models').set(ACME).expect(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ tenant_id: 'acme', scenario_id: 'shop', model: 'lr', version: 'v1', deployed: true, in_flight: 0 }),
    ]);
    expect(res.body.items[0].requests_served).toBeGreaterThanOrEqual(5);
    expect(Date.parse(res.body.items[0].loaded_at)).not.toBeNaN();
  });

  it('answers 400 naming the field of a bad request', async () => {
    const empty = await predict({ context, candidates: [] }).expect(400);
    expect(empty.body.errors).toEqual([expect.objectContaining({ field: 'candidates' })]);
    const badItem = await predict({ context, candidates: [candidates[0], { item_id: 42 }] }).expect(400);
    expect(badItem.body.errors.map((e: { field: string }) => e.field)).toContain('candidates.1.item_id');
    const unknownField = await predict({ context, candidates, boost: 2 }).expect(400);
    expect(JSON.stringify(unknownField.body)).toContain('boost');
    const badBatch = await predict({ requests: [{ candidates: [{ item_id: 'x', published_at: 'yesterday' }] }] }, ACME, '/v1/models/shop/lr/predict/batch').expect(400);
    expect(badBatch.body.errors.map((e: { field: string }) => e.field)).toContain('requests.0.candidates.0.published_at');
    const noTenant = await predict({ context, candidates }, {}).expect(400);
    expect(noTenant.body.errors).toEqual([expect.objectContaining({ field: 'x-tenant-id' })]);
    const badTenant = await predict({ context, candidates }, { 'X-Tenant-Id': 'Not A Tenant' }).expect(400);
    expect(badTenant.body.errors).toEqual([expect.objectContaining({ field: 'x-tenant-id' })]);
  });

  it('answers 404 for an unknown model, scenario or version', async () => {
    const kind = await predict({ context, candidates }, ACME, '/v1/models/shop/magic/predict').expect(404);
    expect(kind.body).toMatchObject({ code: 'NOT_FOUND' });
    expect(kind.body.message).toContain('shop.magic');
    await predict({ context, candidates }, ACME, '/v1/models/nowhere/lr/predict').expect(404);
    await predict({ context, candidates }, ACME, '/v1/models/shop/fm/predict').expect(404);
    const version = await predict({ version: 'v9', context, candidates }).expect(404);
    expect(version.body.message).toContain("version 'v9'");
  });

  it("keeps tenants apart: another tenant's header reaches none of acme's models", async () => {
    await predict({ context, candidates }, OTHER).expect(404);
    await predict({ version: 'v1', context, candidates }, OTHER).expect(404);
    await t.http.post('/v1/models/shop/lr/load').set(OTHER).send({ version: 'v1' }).expect(404);
    await t.http.post('/v1/models/shop/lr/load').set(OTHER).send({}).expect(404);
    await t.http.delete('/v1/models/shop/lr/v1').set(OTHER).expect(404);
    expect((await t.http.get('/v1/models').set(OTHER).expect(200)).body.items).toEqual([]);
    // Acme's model is untouched.
    expect((await predict({ context, candidates }).expect(200)).body.version).toBe('v1');
  });

  it('loads a named version, unloads it, and loads it again on the next request for it', async () => {
    const loaded = await t.http.post('/v1/models/shop/lr/load').set(ACME).send({ version: 'v1' }).expect(200);
    expect(loaded.body).toMatchObject({ tenant_id: 'acme', model: 'lr', version: 'v1', deployed: true });
    await t.http.delete('/v1/models/shop/lr/v1').set(ACME).expect(204);
    expect((await t.http.get('/v1/models').set(ACME).expect(200)).body.items).toEqual([]);
    await t.http.delete('/v1/models/shop/lr/v1').set(ACME).expect(404);
    const res = await predict({ context, candidates }).expect(200);
    expect(res.body.version).toBe('v1');
    const listed = (await t.http.get('/v1/models').set(ACME).expect(200)).body.items;
    expect(listed).toEqual([expect.objectContaining({ version: 'v1', requests_served: 1 })]);
  });

  it('hot-swaps to a newly deployed version under concurrent load: no request fails, later answers come from v2, v1 is freed', async () => {
    expect(await train(false)).toMatchObject({ version: 'v2', deployed: false });
    await predict({ context, candidates }).expect(200);
    const pool = t.app.get(ServedRankers);
    expect(pool.size).toBe(1);
    const baselineTensors = tf.memory().numTensors;

    const failures: string[] = [];
    let deployed = false;
    /** One client: predicts in a loop until it has seen v2 answer five times; returns the versions in answer order. */
    const client = async (): Promise<string[]> => {
      const versions: string[] = [];
      const deadline = Date.now() + 60_000;
      while (versions.filter((v) => v === 'v2').length < 5 && Date.now() < deadline) {
        const res = await predict({ context, candidates });
        if (res.status !== 200) failures.push(`${res.status} ${JSON.stringify(res.body)}`);
        else versions.push(res.body.version);
        if (!deployed && versions.length >= 3) {
          deployed = true;
          await t.app.get(ModelsUseCase).deploy('acme', 'shop.lr', 'v2');
        }
      }
      return versions;
    };
    const answers = await Promise.all(Array.from({ length: 8 }, client));

    expect(failures).toEqual([]);
    for (const versions of answers) {
      // Each client saw v1, then only v2: the swap happened once, and never went back.
      const firstV2 = versions.indexOf('v2');
      expect(firstV2).toBeGreaterThan(-1);
      expect(versions.slice(firstV2).every((v) => v === 'v2')).toBe(true);
      expect(versions.slice(0, firstV2).every((v) => v === 'v1')).toBe(true);
    }
    expect(answers.flat()).toContain('v1');
    // v1 was disposed once its last request finished: same architecture, so the tensor count is back where it was.
    expect(pool.size).toBe(1);
    expect(tf.memory().numTensors).toBe(baselineTensors);
    const listed = (await t.http.get('/v1/models').set(ACME).expect(200)).body.items;
    expect(listed).toEqual([expect.objectContaining({ version: 'v2', deployed: true })]);
  });

  it('lets a request that holds a version finish on it while a load call swaps, and frees it after', async () => {
    const pool = t.app.get(ServedRankers);
    const baselineTensors = tf.memory().numTensors;
    const lease = await pool.acquire('acme', 'shop', 'lr');
    expect(lease.ref.version).toBe('v2');
    // Roll back to v1; the load call swaps at once (no wait for the poller).
    await t.app.get(ModelsUseCase).deploy('acme', 'shop.lr', 'v1');
    const loaded = await t.http.post('/v1/models/shop/lr/load').set(ACME).send({}).expect(200);
    expect(loaded.body).toMatchObject({ version: 'v1', deployed: true });
    expect((await predict({ context, candidates }).expect(200)).body.version).toBe('v1');
    // The in-flight request still scores with v2: it was not disposed under it.
    const scores = lease.ranker.score({ userId: context.user_id, now: context.timestamp }, [{ itemId: candidates[0].item_id }]);
    expect(Number.isFinite(scores[0])).toBe(true);
    expect(pool.size).toBe(2);
    expect(pool.list('acme').map((m) => m.version)).toEqual(['v1']);
    lease.release();
    expect(pool.size).toBe(1);
    expect(tf.memory().numTensors).toBe(baselineTensors);
  });

  it('exports predictions, batch sizes, latency, loaded models and swaps on /metrics', async () => {
    const text = (await t.http.get('/metrics').expect(200)).text;
    expect(text).toMatch(/lemo_model_predictions_total\{[^}]*model="lr"[^}]*kind="single"[^}]*\} \d+/);
    expect(text).toMatch(/lemo_model_predictions_total\{[^}]*kind="batch"[^}]*\} 1\b/);
    expect(text).toMatch(/lemo_model_predict_candidates_sum\{[^}]*kind="batch"[^}]*\} 30\b/);
    expect(text).toContain('lemo_model_predict_duration_seconds_bucket');
    expect(text).toMatch(/lemo_models_loaded(\{[^}]*\})? 1\b/);
    // v1 → v2 by the poller, v2 → v1 by the load call.
    expect(text).toMatch(/lemo_model_swaps_total\{[^}]*model="lr"[^}]*\} 2\b/);
    await t.http.get('/health').expect(200);
  });
});

describe('model-server internal token', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ modules: [ModelServerHttpModule], configure: configureModelServerHttp, env: { MODEL_SERVER_TOKEN: 'internal-token-0123456789' } });
  });

  afterAll(() => t.close());

  it('refuses calls without the token when MODEL_SERVER_TOKEN is set; health and metrics stay open', async () => {
    const body = { candidates: [{ item_id: 'i1' }] };
    const refused = await t.http.post('/v1/models/shop/lr/predict').set(ACME).send(body).expect(401);
    expect(refused.body.code).toBe('UNAUTHENTICATED');
    await t.http.post('/v1/models/shop/lr/predict').set({ ...ACME, 'X-Internal-Token': 'internal-token-wrong-56789' }).send(body).expect(401);
    await t.http.get('/v1/models').expect(401);
    // With the token the call gets through to the models (none trained here).
    await t.http.post('/v1/models/shop/lr/predict').set({ ...ACME, 'X-Internal-Token': 'internal-token-0123456789' }).send(body).expect(404);
    await t.http.get('/health').expect(200);
    await t.http.get('/metrics').expect(200);
  });
});
