import type { ArtifactInfo, Model, ModelArtifactStore, ModelRepository } from '@lemo/domain';
import { encodeTrainedModel, InteractionLog, buildUserItemMatrix, SERVABLE_ALGORITHMS, type UserContext } from '@lemo/features';
import { EaseRecall } from './model-recall.strategy';
import { TrainedRecallModels } from './trained-recall-models';

/** Two clusters: users 0-3 like items a0..a3, users 4-7 like items b0..b3. */
const itemIds = ['a0', 'a1', 'a2', 'a3', 'b0', 'b1', 'b2', 'b3'];

async function easeArtifact(): Promise<Uint8Array> {
  const log = new InteractionLog();
  for (let u = 0; u < 8; u++) for (let k = 0; k < 3; k++) log.push(u, (u < 4 ? 0 : 4) + ((u + k) % 4), 1);
  const model = await SERVABLE_ALGORITHMS.ease.trainer.train(buildUserItemMatrix(log, 8, 8, 100), { lambda: 1 });
  const header = { algorithm: 'ease', item_ids: itemIds, user_ids: [], params: {}, metrics: {}, trained_at: '2026-01-01T00:00:00Z' };
  return encodeTrainedModel(header, SERVABLE_ALGORITHMS.ease.codec.encode(model));
}

function modelDoc(deployed: string | null): Model {
  const version = (v: string) => ({ version: v, status: 'trained' as const, metrics: {}, artifact_uri: `recall/home.ease/${v}`, trained_at: null, created_at: '' });
  return {
    tenant_id: 'acme', model_id: 'home.ease', name: 'x', model_type: 'recall', algorithm: 'ease', scenario_id: 'home', description: '', config: {},
    status: 'deployed', versions: [version('v1'), version('v2')], deployed_version: deployed, created_at: '', updated_at: '',
  };
}

interface FakeState {
  deployed: string | null;
  artifactReads: number;
  artifact: Uint8Array;
}

function fakesArgs(state: FakeState): [ModelRepository, ModelArtifactStore] {
  const models = { get: async (tenantId: string, id: string) => (tenantId === 'acme' && id === 'home.ease' ? modelDoc(state.deployed) : null) } as unknown as ModelRepository;
  const artifacts = {
    get: async (tenantId: string) => {
      state.artifactReads++;
      return tenantId === 'acme' ? state.artifact : null;
    },
    list: async (): Promise<ArtifactInfo[]> => [],
  } as unknown as ModelArtifactStore;
  return [models, artifacts];
}

function fakes(artifact: Uint8Array) {
  const state: FakeState = { deployed: 'v1', artifactReads: 0, artifact };
  return { state, loader: new TrainedRecallModels(...fakesArgs(state)) };
}

const ctx = (recent: string[], tenantId = 'acme'): UserContext => ({
  tenantId,
  scenarioId: 'home',
  userId: 'someone',
  recent: recent.map((item_id, i) => ({ item_id, scenario_id: 'home', action_type: 'like', timestamp: 1000 - i })),
  now: 1000,
});
const config = { name: 'ease', weight: 1, limit: 3, params: {}, timeout_ms: 150 };

describe('model-backed recall', () => {
  it("recommends from the user's cluster, never their own or excluded items, scores in (0, 1]", async () => {
    const { loader } = fakes(await easeArtifact());
    const recall = new EaseRecall(loader);
    const candidates = await recall.recall(ctx(['a0', 'a1']), config, new Set(['a2']));
    expect(candidates.map((c) => c.item_id)).toEqual(['a3']);
    expect(candidates[0]).toMatchObject({ strategy: 'ease', score: 1 });
    const wider = await recall.recall(ctx(['b0']), { ...config, limit: 2 }, new Set());
    expect(wider.map((c) => c.item_id).every((id) => id.startsWith('b') && id !== 'b0')).toBe(true);
  });

  it('serves nothing without a deployed model, for another tenant, or for a user with no known history', async () => {
    const { state, loader } = fakes(await easeArtifact());
    const recall = new EaseRecall(loader);
    expect(await recall.recall(ctx(['a0'], 'globex'), config, new Set())).toEqual([]);
    expect(await recall.recall(ctx(['never-trained-item']), config, new Set())).toEqual([]);
    expect(await recall.recall({ ...ctx([]), userId: null }, config, new Set())).toEqual([]);
    state.deployed = null;
    expect(await new EaseRecall(new TrainedRecallModels(...fakesArgs(state))).recall(ctx(['a0']), config, new Set())).toEqual([]);
  });

  it('loads a version once, and follows a new deployment after the re-check interval', async () => {
    const { state, loader } = fakes(await easeArtifact());
    expect((await loader.get('acme', 'home', 'ease', 0))?.version).toBe('v1');
    expect((await loader.get('acme', 'home', 'ease', 1000))?.version).toBe('v1');
    expect(state.artifactReads).toBe(1);
    state.deployed = 'v2';
    expect((await loader.get('acme', 'home', 'ease', 2000))?.version).toBe('v1');
    expect((await loader.get('acme', 'home', 'ease', 20_000))?.version).toBe('v2');
    expect(state.artifactReads).toBe(2);
    state.deployed = null;
    expect(await loader.get('acme', 'home', 'ease', 40_000)).toBeNull();
  });
});
