import { DomainError, type Dataset, type DatasetFilter, type DatasetRepository, type Page, type PageRequest } from '@lemo/domain';
import { DatasetsUseCase, registerDatasetSchema } from './datasets.use-case';

/** Datasets in memory, keyed by tenant and id, as the repository contract describes them. */
class FakeDatasets {
  readonly docs = new Map<string, Dataset>();
  async create(doc: Dataset): Promise<void> {
    const key = `${doc.tenant_id}/${doc.dataset_id}`;
    if (this.docs.has(key)) throw DomainError.alreadyExists('dataset', doc.dataset_id);
    this.docs.set(key, doc);
  }
  async get(tenantId: string, id: string): Promise<Dataset | null> {
    return this.docs.get(`${tenantId}/${id}`) ?? null;
  }
  async list(tenantId: string, filter: Partial<DatasetFilter>, page: PageRequest): Promise<Page<Dataset>> {
    const items = [...this.docs.values()].filter((doc) => doc.tenant_id === tenantId && (!filter.format || doc.format === filter.format)).reverse();
    return { items: items.slice((page.page - 1) * page.pageSize, page.page * page.pageSize), total: items.length, page: page.page, pageSize: page.pageSize };
  }
  async delete(tenantId: string, id: string): Promise<boolean> {
    return this.docs.delete(`${tenantId}/${id}`);
  }
}

describe('DatasetsUseCase', () => {
  const setup = () => {
    const repo = new FakeDatasets();
    return { repo, datasets: new DatasetsUseCase(repo as unknown as DatasetRepository) };
  };

  it('registers a description under the tenant, minting an id when none is given', async () => {
    const { datasets } = setup();
    const minted = await datasets.register('acme', registerDatasetSchema.parse({ name: 'Clicks', path: '/data/clicks.csv' }));
    expect(minted).toMatchObject({ tenant_id: 'acme', name: 'Clicks', storage_type: 'local', format: 'csv', file_size: 0, row_count: 0 });
    expect(minted.dataset_id).toMatch(/^ds-[0-9a-f-]{36}$/);
    expect(minted.created_at).toBe(minted.updated_at);
    const named = await datasets.register('acme', registerDatasetSchema.parse({ dataset_id: 'may', name: 'May', path: 's3://lake/may.parquet', format: 'parquet', storage_type: 's3' }));
    expect(named.dataset_id).toBe('may');
    await expect(datasets.register('acme', registerDatasetSchema.parse({ dataset_id: 'may', name: 'Again', path: '/x' }))).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    // Another tenant may use the same id.
    await expect(datasets.register('other', registerDatasetSchema.parse({ dataset_id: 'may', name: 'Theirs', path: '/y' }))).resolves.toMatchObject({ tenant_id: 'other' });
  });

  it("reads, lists and deletes only the tenant's own datasets", async () => {
    const { datasets } = setup();
    const clicks = await datasets.register('acme', registerDatasetSchema.parse({ dataset_id: 'clicks', name: 'Clicks', path: '/c', format: 'jsonl' }));
    await datasets.register('other', registerDatasetSchema.parse({ dataset_id: 'theirs', name: 'Theirs', path: '/t' }));
    await expect(datasets.get('acme', 'clicks')).resolves.toEqual(clicks);
    await expect(datasets.get('acme', 'theirs')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await datasets.list('acme', { format: 'jsonl' }, { page: 1, pageSize: 10 })).items).toEqual([clicks]);
    expect((await datasets.list('acme', { format: 'csv' }, { page: 1, pageSize: 10 })).total).toBe(0);
    await expect(datasets.delete('acme', 'theirs')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await datasets.delete('acme', 'clicks');
    await expect(datasets.delete('acme', 'clicks')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(datasets.get('other', 'theirs')).resolves.toMatchObject({ name: 'Theirs' });
  });

  it('validates registrations with the domain schema (bad format, negative size, unknown fields)', () => {
    expect(registerDatasetSchema.safeParse({ name: 'X', path: '/x', format: 'xlsx' }).success).toBe(false);
    expect(registerDatasetSchema.safeParse({ name: 'X', path: '/x', file_size: -1 }).success).toBe(false);
    expect(registerDatasetSchema.safeParse({ name: 'X', path: '/x', owner: 'me' }).success).toBe(false);
    expect(registerDatasetSchema.safeParse({ name: 'X', path: '' }).success).toBe(false);
  });
});
