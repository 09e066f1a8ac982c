import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { clientId, createDatasetSchema, DatasetRepository, DomainError, type Dataset, type DatasetFilter, type Page, type PageRequest } from '@lemo/domain';
import { nowIso } from '../shared/time';

/** A dataset registration: the id is optional, the platform mints `ds-<uuid>` without one. */
export const registerDatasetSchema = createDatasetSchema.extend({ dataset_id: clientId('dataset_id').optional() });
export type RegisterDatasetInput = z.infer<typeof registerDatasetSchema>;

export const datasetFilterSchema = z.object({ format: createDatasetSchema.shape.format.unwrap().optional() }).strict();

/**
 * The tenant's catalogue of datasets: metadata of training data sets and exports (where the data
 * lives, its format, size and row count). The platform stores the descriptions, not the data.
 */
@Injectable()
export class DatasetsUseCase {
  constructor(private readonly datasets: DatasetRepository) {}

  /** Registers a dataset; a dataset_id the tenant already uses is ALREADY_EXISTS. */
  async register(tenantId: string, input: RegisterDatasetInput): Promise<Dataset> {
    const now = nowIso();
    const dataset: Dataset = { ...input, dataset_id: input.dataset_id ?? `ds-${randomUUID()}`, tenant_id: tenantId, created_at: now, updated_at: now };
    await this.datasets.create(dataset);
    return dataset;
  }

  /** Newest first. */
  list(tenantId: string, filter: Partial<DatasetFilter>, page: PageRequest): Promise<Page<Dataset>> {
    return this.datasets.list(tenantId, filter, page);
  }

  async get(tenantId: string, datasetId: string): Promise<Dataset> {
    const dataset = await this.datasets.get(tenantId, datasetId);
    if (!dataset) throw DomainError.notFound('dataset', datasetId);
    return dataset;
  }

  /** Forgets the description (the data it points at is not touched); an unknown id is NOT_FOUND. */
  async delete(tenantId: string, datasetId: string): Promise<void> {
    if (!(await this.datasets.delete(tenantId, datasetId))) throw DomainError.notFound('dataset', datasetId);
  }
}
