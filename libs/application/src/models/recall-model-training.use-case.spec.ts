import type { ArtifactInfo, BehaviorEvent, EventStore, Model, ModelArtifactStore, ModelRepository, VectorEntry, VectorIndex } from '@lemo/domain';
import type { ScenarioLookup } from '../scenarios/scenario-lookup';
import { ModelVersions, trainingRunOf } from './model-versions';
import { RecallModelTrainingUseCase } from './recall-model-training.use-case';

const DIMENSION = 8;

/** The model documents of one tenant, in memory. */
class InMemoryModels {
  readonly docs = new Map<string, Model>();
  async get(_tenantId: string, id: string): Promise<Model | null> {
    return structuredClone(this.docs.get(id) ?? null);
  }
  async create(doc: Model): Promise<void> {
    if (this.docs.has(doc.model_id)) throw new Error(`model ${doc.model_id} exists`);
    this.docs.set(doc.model_id, structuredClone(doc));
  }
  async update(doc: Model): Promise<void> {
    if (!this.docs.has(doc.model_id)) throw new Error(`model ${doc.model_id} missing`);
    this.docs.set(doc.model_id, structuredClone(doc));
  }
}

/** Artifacts in memory, counting writes. */
class InMemoryArtifacts {
  readonly bytes = new Map<string, Uint8Array>();
  puts = 0;
  async put(_tenantId: string, key: string, bytes: Uint8Array): Promise<ArtifactInfo> {
    this.puts += 1;
    this.bytes.set(key, bytes.slice());
    return { key, bytes: bytes.byteLength, updated_at: new Date().toISOString() };
  }
  async get(_tenantId: string, key: string): Promise<Uint8Array | null> {
    return this.bytes.get(key)?.slice() ?? null;
  }
  async list(_tenantId: string, prefix: string): Promise<ArtifactInfo[]> {
    return [...this.bytes.keys()].filter((key) => key.startsWith(prefix)).map((key) => ({ key, bytes: 0, updated_at: '' }));
  }
  async delete(_tenantId: string, key: string): Promise<boolean> {
    return this.bytes.delete(key);
  }
}

/** The item vectors last written per namespace. */
class RecordingVectors {
  readonly dimension = DIMENSION;
  readonly written = new Map<string, Map<string, number[]>>();
  async upsert(_tenantId: string, namespace: string, entries: readonly VectorEntry[]): Promise<void> {
    const stored = this.written.get(namespace) ?? new Map<string, number[]>();
    for (const entry of entries) stored.set(entry.id, Array.from(entry.vector));
    this.written.set(namespace, stored);
  }
}

/** 40 users, each liking 6 of 30 items in a pattern ALS can learn; `shift` changes the data between runs. */
function events(shift = 0): BehaviorEvent[] {
  const out: BehaviorEvent[] = [];
  for (let user = 0; user < 40; user++) {
    for (let j = 0; j < 6; j++) {
      const item = (user % 5) * 6 + ((j + shift) % 6);
      out.push({ user_id: `u${user}`, item_id: `i${item}`, action_type: 'like', timestamp: out.length } as unknown as BehaviorEvent);
    }
  }
  return out;
}

function setup() {
  const models = new InMemoryModels();
  const artifacts = new InMemoryArtifacts();
  const vectors = new RecordingVectors();
  let data = events();
  const store = {
    count: async () => data.length,
    scan: async function* () {
      yield data;
    },
  } as unknown as EventStore;
  const scenarios = { require: async () => ({ config: { realtime: { action_weights: {} } } }) } as unknown as ScenarioLookup;
  const versions = new ModelVersions(models as unknown as ModelRepository, artifacts as unknown as ModelArtifactStore);
  const useCase = new RecallModelTrainingUseCase(store, scenarios, versions, vectors as unknown as VectorIndex);
  return { useCase, versions, models, artifacts, vectors, setData: (next: BehaviorEvent[]) => (data = next) };
}

const job = { queue: 'model_training' as const, job_id: 'train-acme-shop-als', created_at: 1_764_000_000_000 };
const request = { tenant_id: 'acme', scenario_id: 'shop', algorithm: 'als', params: { factors: DIMENSION, iterations: 3 } };

describe('RecallModelTrainingUseCase: one version per training run', () => {
  it('gives a retried or recovered run of the same job the version it recorded, with the vectors of that version', async () => {
    const { useCase, models, artifacts, vectors, setData } = setup();
    const first = await useCase.train({ ...request, training_run: trainingRunOf(job) });
    expect(first).toMatchObject({ model_id: 'shop.als', version: 'v1', deployed: true });
    const indexed = structuredClone(vectors.written.get('shop#als'));
    expect(indexed?.size).toBe(30);

    // The run is repeated (its worker died after recording, or a later step failed) on changed data: it must
    // neither append v2 nor leave item vectors of a model other than the recorded v1 in the index.
    setData(events(1));
    vectors.written.clear();
    const progress: Array<[number, string | undefined]> = [];
    const again = await useCase.train({ ...request, training_run: trainingRunOf(job) }, async (pct, stage) => void progress.push([pct, stage]));
    expect(again).toEqual({ ...first, metrics: { ...first.metrics } });
    expect(models.docs.get('shop.als')?.versions.map((v) => [v.version, v.training_run])).toEqual([['v1', 'model_training/train-acme-shop-als@1764000000000']]);
    expect(artifacts.puts).toBe(1);
    expect(vectors.written.get('shop#als')).toEqual(indexed);
    expect(progress.at(-1)).toEqual([100, 'done']);
  });

  it('adds a version for a later run of the same job id (a new training request once the last one finished)', async () => {
    const { useCase, models } = setup();
    await useCase.train({ ...request, training_run: trainingRunOf(job) });
    const later = await useCase.train({ ...request, training_run: trainingRunOf({ ...job, created_at: job.created_at + 60_000 }) });
    expect(later.version).toBe('v2');
    expect(models.docs.get('shop.als')).toMatchObject({ deployed_version: 'v2', versions: [{ version: 'v1', status: 'trained' }, { version: 'v2', status: 'deployed' }] });
  });
});

describe('ModelVersions.record', () => {
  const trained = (bytes: number[]) => ({
    tenantId: 'acme',
    scenarioId: 'shop',
    modelId: 'shop.lr',
    modelType: 'rank' as const,
    algorithm: 'lr',
    params: {},
    metrics: { auc: 0.7 },
    bytes: Uint8Array.from(bytes),
    deploy: true,
    trainingRun: 'model_training/train-acme-shop-lr@1',
  });

  it('writes nothing for a run that recorded its version while this one trained, and returns that version', async () => {
    const { versions, models, artifacts } = setup();
    const first = await versions.record(trained([1, 2, 3]), await versions.nextVersion('acme', 'shop.lr'));
    // The second run named its version before the first one recorded (both read "v1 next").
    const second = await versions.record(trained([9, 9, 9]), 'v1');
    expect(first.created).toBe(true);
    expect(second).toEqual({ version: first.version, created: false });
    expect(models.docs.get('shop.lr')?.versions).toHaveLength(1);
    expect(Array.from((await artifacts.get('acme', 'rank/shop.lr/v1')) ?? [])).toEqual([1, 2, 3]);
  });

  it('appends as before for a version recorded without a run', async () => {
    const { versions, models } = setup();
    await versions.record({ ...trained([1]), trainingRun: undefined }, 'v1');
    await versions.record({ ...trained([2]), trainingRun: undefined }, 'v2');
    expect(models.docs.get('shop.lr')?.versions.map((v) => [v.version, v.training_run])).toEqual([
      ['v1', undefined],
      ['v2', undefined],
    ]);
  });
});
