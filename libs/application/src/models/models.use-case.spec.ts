import { DomainError, type ArtifactInfo, type JobQueue, type JobRecord, type Model, type ModelArtifactStore, type ModelRepository } from '@lemo/domain';
import type { ScenarioLookup } from '../scenarios/scenario-lookup';
import { ModelsUseCase, updateModelSchema } from './models.use-case';

class FakeModels {
  readonly docs = new Map<string, Model>();
  async create(doc: Model): Promise<void> {
    if (this.docs.has(doc.model_id)) throw DomainError.alreadyExists('model', doc.model_id);
    this.docs.set(doc.model_id, doc);
  }
  async get(tenantId: string, id: string): Promise<Model | null> {
    const doc = this.docs.get(id);
    return doc && doc.tenant_id === tenantId ? doc : null;
  }
  async update(doc: Model): Promise<void> {
    if (!this.docs.has(doc.model_id)) throw DomainError.notFound('model', doc.model_id);
    this.docs.set(doc.model_id, doc);
  }
  async delete(_tenantId: string, id: string): Promise<boolean> {
    return this.docs.delete(id);
  }
}

class FakeArtifacts {
  readonly keys = new Set<string>();
  async list(_tenantId: string, prefix: string): Promise<ArtifactInfo[]> {
    return [...this.keys].filter((key) => key.startsWith(prefix)).map((key): ArtifactInfo => ({ key, bytes: 1, updated_at: '' }));
  }
  async delete(_tenantId: string, key: string): Promise<boolean> {
    return this.keys.delete(key);
  }
}

/** Training jobs by status, as JobQueue.list reads them. */
function fakeJobs(jobs: JobRecord[]): JobQueue {
  return { list: async (_queue: string, filter: { status?: string }) => jobs.filter((job) => job.status === filter.status) } as unknown as JobQueue;
}

const trainedAls = (overrides: Partial<Model> = {}): Model => ({
  tenant_id: 'acme',
  model_id: 'shop.als',
  name: 'ALS',
  model_type: 'recall',
  algorithm: 'als',
  scenario_id: 'shop',
  description: '',
  config: {},
  status: 'deployed',
  versions: [
    { version: 'v1', status: 'trained', metrics: {}, artifact_uri: 'recall/shop.als/v1', trained_at: 't', created_at: 't' },
    { version: 'v2', status: 'deployed', metrics: {}, artifact_uri: 'recall/shop.als/v2', trained_at: 't', created_at: 't' },
  ],
  deployed_version: 'v2',
  created_at: 't',
  updated_at: 't',
  ...overrides,
});

function setup(jobs: JobRecord[] = []) {
  const models = new FakeModels();
  const artifacts = new FakeArtifacts();
  const scenarios = { require: async (_tenantId: string, id: string) => (id === 'shop' ? {} : Promise.reject(DomainError.notFound('scenario', id))) } as unknown as ScenarioLookup;
  const useCase = new ModelsUseCase(models as unknown as ModelRepository, fakeJobs(jobs), scenarios, artifacts as unknown as ModelArtifactStore);
  return { models, artifacts, useCase };
}

describe('ModelsUseCase registry writes', () => {
  it('creates a draft model without versions, refusing a taken id and an unknown scenario', async () => {
    const { useCase } = setup();
    const model = await useCase.create('acme', { model_id: 'shop.lr', name: 'CTR', model_type: 'rank', algorithm: 'lr', scenario_id: 'shop', description: '', config: { l2: 0.1 } });
    expect(model).toMatchObject({ status: 'draft', versions: [], deployed_version: null, scenario_id: 'shop', config: { l2: 0.1 } });
    await expect(useCase.create('acme', { model_id: 'shop.lr', name: 'Again', model_type: 'rank', algorithm: 'lr', description: '', config: {} })).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await expect(useCase.create('acme', { model_id: 'x', name: 'X', model_type: 'rank', algorithm: 'lr', scenario_id: 'nowhere', description: '', config: {} })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('archiving undeploys the model and keeps its versions to deploy again', async () => {
    const { models, useCase } = setup();
    models.docs.set('shop.als', trainedAls());
    const archived = await useCase.update('acme', 'shop.als', updateModelSchema.parse({ status: 'archived', name: 'Old ALS' }));
    expect(archived).toMatchObject({ status: 'archived', deployed_version: null, name: 'Old ALS' });
    expect(archived.versions.map((v) => v.status)).toEqual(['trained', 'trained']);
    expect(models.docs.get('shop.als')).toEqual(archived);
  });

  it('keeps the algorithm of a model with trained versions, and accepts no status but archived', async () => {
    const { models, useCase } = setup();
    models.docs.set('shop.als', trainedAls());
    await expect(useCase.update('acme', 'shop.als', { algorithm: 'bpr' })).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    await expect(useCase.update('acme', 'shop.als', { algorithm: 'als', description: 'same algorithm is fine' })).resolves.toMatchObject({ description: 'same algorithm is fine' });
    expect(updateModelSchema.safeParse({ status: 'deployed' }).success).toBe(false);
    expect(updateModelSchema.safeParse({ version: 'v3' }).success).toBe(false);
    await expect(useCase.update('other', 'shop.als', { name: 'theirs' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses to delete a deployed model; once archived, deletes it with its artifacts only', async () => {
    const { models, artifacts, useCase } = setup();
    models.docs.set('shop.als', trainedAls());
    for (const key of ['recall/shop.als/v1', 'recall/shop.als/v2', 'recall/shop.als2/v1']) artifacts.keys.add(key);
    await expect(useCase.delete('acme', 'shop.als')).rejects.toMatchObject({ code: 'FAILED_PRECONDITION', message: expect.stringContaining('deployed') });
    expect(models.docs.has('shop.als')).toBe(true);
    await useCase.update('acme', 'shop.als', { status: 'archived' });
    await useCase.delete('acme', 'shop.als');
    expect(models.docs.has('shop.als')).toBe(false);
    expect([...artifacts.keys]).toEqual(['recall/shop.als2/v1']);
    await expect(useCase.delete('acme', 'shop.als')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it("refuses to delete a model that the tenant's queued or running training would write", async () => {
    const job = (status: JobRecord['status'], tenantId: string, algorithm: string) =>
      ({ job_id: `train-${tenantId}-${algorithm}`, queue: 'model_training', name: 'recall_training', status, data: { tenant_id: tenantId, scenario_id: 'shop', algorithm } }) as unknown as JobRecord;
    const { models, useCase } = setup([job('waiting', 'acme', 'als'), job('active', 'other', 'bpr'), job('completed', 'acme', 'bpr')]);
    models.docs.set('shop.als', trainedAls({ status: 'trained', deployed_version: null }));
    models.docs.set('shop.bpr', trainedAls({ model_id: 'shop.bpr', algorithm: 'bpr', status: 'trained', deployed_version: null }));
    await expect(useCase.delete('acme', 'shop.als')).rejects.toMatchObject({ code: 'FAILED_PRECONDITION', message: expect.stringContaining('waiting') });
    // Another tenant's run and a finished run do not hold the model.
    await useCase.delete('acme', 'shop.bpr');
    expect(models.docs.has('shop.bpr')).toBe(false);
  });
});
