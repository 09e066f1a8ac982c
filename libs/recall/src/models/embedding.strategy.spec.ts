import type { Cache } from '@lemo/domain';
import { buildUserItemMatrix, factorNamespace, InteractionLog, SERVABLE_ALGORITHMS, type FactorModel, type UserContext } from '@lemo/features';
import { BruteForceVectorIndex } from '../../testing';
import { EmbeddingRecall } from './embedding.strategy';
import type { LoadedRecallModel, TrainedRecallModels } from './trained-recall-models';
import { UserVectors, type StoredUserVector } from './user-vectors';

/** Two clusters: users 0-3 like items a0..a3, users 4-7 like items b0..b3. */
const itemIds = ['a0', 'a1', 'a2', 'a3', 'b0', 'b1', 'b2', 'b3'];
const FACTORS = 4;

async function setup() {
  const log = new InteractionLog();
  for (let u = 0; u < 8; u++) for (let k = 0; k < 3; k++) log.push(u, (u < 4 ? 0 : 4) + ((u + k) % 4), 1);
  const model = (await SERVABLE_ALGORITHMS.als.trainer.train(buildUserItemMatrix(log, 8, 8, 100), { factors: FACTORS, iterations: 8 })) as FactorModel;
  const loaded: LoadedRecallModel = {
    version: 'v3',
    model,
    itemIds,
    itemIndex: new Map(itemIds.map((id, i) => [id, i])),
    // The served user is not in the model: without a stored vector they are folded in from their recent items.
    userIndex: new Map(),
    scores: new Float32Array(8),
    selectionIds: new Int32Array(8),
    selectionScores: new Float64Array(8),
  };
  const vectors = new BruteForceVectorIndex(FACTORS);
  await vectors.upsert('acme', factorNamespace('home', 'als'), itemIds.map((id, i) => ({ id, vector: model.itemFactors.subarray(i * FACTORS, (i + 1) * FACTORS) })));
  const cached = new Map<string, unknown>();
  const cache = { get: async (key: string) => cached.get(key) ?? null, set: async (key: string, value: unknown) => void cached.set(key, value) } as unknown as Cache;
  const models = { get: async () => loaded } as unknown as TrainedRecallModels;
  const userVectors = new UserVectors(cache);
  return { model, userVectors, recall: new EmbeddingRecall(models, vectors, userVectors) };
}

const ctx = (recent: Array<[string, number]>): UserContext => ({
  tenantId: 'acme',
  scenarioId: 'home',
  userId: 'someone',
  recent: recent.map(([item_id, timestamp]) => ({ item_id, scenario_id: 'home', action_type: 'like', timestamp })),
  now: 10_000,
});
const config = { name: 'embedding', weight: 1, limit: 3, params: {}, timeout_ms: 150 };

describe('embedding recall with stored user vectors', () => {
  it('prefers a fresh stored vector; a newer interaction or another model version falls back to folding in', async () => {
    const { model, userVectors, recall } = await setup();
    const b0 = Array.from(model.itemFactors.subarray(4 * FACTORS, 5 * FACTORS));
    const stored: StoredUserVector = { namespace: 'home#als', source: 'items', model_version: 'v3', vector: b0, computed_at: 5000, last_event_at: 1000 };
    await userVectors.put('acme', 'someone', 'home', stored);

    // Recent interactions with a-items, none newer than the stored vector: the stored (b-cluster) vector is searched.
    const fromStored = await recall.recall(ctx([['a0', 1000], ['a1', 900]]), config, new Set());
    expect(fromStored[0].item_id).toBe('b0');
    expect(fromStored.every((c) => c.item_id.startsWith('b'))).toBe(true);

    // A newer event than the vector reflects: the user is folded in from their recent a-items instead.
    const folded = await recall.recall(ctx([['a0', 1001], ['a1', 900]]), config, new Set());
    expect(['a2', 'a3']).toContain(folded[0]?.item_id);
    expect(folded.map((c) => c.item_id)).not.toEqual(expect.arrayContaining(['a0']));
    expect(folded.map((c) => c.item_id)).not.toEqual(expect.arrayContaining(['a1']));

    // A vector of another model version (or space) is never used.
    await userVectors.put('acme', 'someone', 'home', { ...stored, model_version: 'v2' });
    expect(['a1', 'a2', 'a3']).toContain((await recall.recall(ctx([['a0', 1000]]), config, new Set()))[0]?.item_id);
    await userVectors.put('acme', 'someone', 'home', { ...stored, namespace: 'home' });
    expect(await recall.recall(ctx([]), config, new Set())).toEqual([]);
  });

  it('serves a user with no recent interactions from a stored vector alone', async () => {
    const { model, userVectors, recall } = await setup();
    const b1 = Array.from(model.itemFactors.subarray(5 * FACTORS, 6 * FACTORS));
    await userVectors.put('acme', 'someone', 'home', { namespace: 'home#als', source: 'items', model_version: 'v3', vector: b1, computed_at: 5000, last_event_at: 1000 });
    const candidates = await recall.recall(ctx([]), config, new Set(['b1']));
    expect(candidates.map((c) => c.item_id)).not.toContain('b1');
    expect(candidates.every((c) => c.item_id.startsWith('b'))).toBe(true);
  });
});
