import type { ApiKey } from '../tenancy/api-key';
import type { Tenant } from '../tenancy/tenant';
import type { Scenario, ScenarioStatus, ScenarioType } from '../scenarios/scenario';
import type { ConfigTemplate } from '../scenarios/config-template';
import type { Item, ItemStatus } from '../catalog/item';
import type { MetadataValueCounts, MetadataValueOptions } from '../catalog/item-distribution';
import type { User } from '../users/user';
import type { TrackingSchema } from '../tracking/tracking-schema';
import type { Experiment, ExperimentStatus } from '../experiments/experiment';
import type { Model, ModelStatus } from '../models/model';
import type { Dataset } from '../datasets/dataset';
import type { Page, PageRequest } from '../shared/paging';
import { TenantDocumentRepository } from './document-repository.port';

export abstract class TenantRepository {
  /** Throws ALREADY_EXISTS when the tenant id is taken. */
  abstract create(tenant: Tenant): Promise<void>;
  abstract get(tenantId: string): Promise<Tenant | null>;
  abstract list(page: PageRequest): Promise<Page<Tenant>>;
  /** Throws NOT_FOUND when absent. */
  abstract update(tenant: Tenant): Promise<void>;
}

export abstract class ApiKeyRepository {
  abstract create(key: ApiKey): Promise<void>;
  /** Looks a key up by the hash of its secret, revoked or not. */
  abstract findByHash(keyHash: string): Promise<ApiKey | null>;
  abstract listByTenant(tenantId: string): Promise<ApiKey[]>;
  /** Returns false when the key does not exist in this tenant. */
  abstract revoke(tenantId: string, keyId: string, revokedAt: string): Promise<boolean>;
}

export interface ScenarioFilter {
  scenario_type: ScenarioType;
  status: ScenarioStatus;
}
export abstract class ScenarioRepository extends TenantDocumentRepository<Scenario, ScenarioFilter> {}

export interface ExperimentFilter {
  scenario_id: string;
  status: ExperimentStatus;
}
export abstract class ExperimentRepository extends TenantDocumentRepository<Experiment, ExperimentFilter> {}

export interface ModelFilter {
  model_type: Model['model_type'];
  status: ModelStatus;
  scenario_id: string;
}
export abstract class ModelRepository extends TenantDocumentRepository<Model, ModelFilter> {}

export interface DatasetFilter {
  format: string;
}
export abstract class DatasetRepository extends TenantDocumentRepository<Dataset, DatasetFilter> {}

export abstract class TemplateRepository {
  /** Creates or replaces a template (system templates have tenant_id null). */
  abstract upsert(template: ConfigTemplate): Promise<void>;
  /** A tenant sees its own templates and the system ones. */
  abstract get(tenantId: string, templateId: string): Promise<ConfigTemplate | null>;
  abstract list(tenantId: string): Promise<ConfigTemplate[]>;
  /** Deletes a tenant-owned template; never a system one. Returns false when absent. */
  abstract delete(tenantId: string, templateId: string): Promise<boolean>;
}

export interface ItemFilter {
  status?: ItemStatus;
  category?: string;
}

export abstract class ItemRepository {
  /** Creates or replaces items by (tenant, scenario, item_id); each item is written whole (a retry converges). */
  abstract upsertMany(items: Item[]): Promise<void>;
  abstract get(tenantId: string, scenarioId: string, itemId: string): Promise<Item | null>;
  /** Items found among `itemIds`, in no particular order; unknown ids are skipped. */
  abstract getMany(tenantId: string, scenarioId: string, itemIds: readonly string[]): Promise<Item[]>;
  abstract list(tenantId: string, scenarioId: string, filter: ItemFilter, page: PageRequest): Promise<Page<Item>>;
  /** Case-insensitive match of every query word in title, description or tags; `deleted` items excluded. */
  abstract search(tenantId: string, scenarioId: string, query: string, page: PageRequest): Promise<Page<Item>>;
  /** Active items, newest publish time first. */
  abstract latest(tenantId: string, scenarioId: string, limit: number): Promise<Item[]>;
  /** Removes items for good; returns how many existed. */
  abstract hardDelete(tenantId: string, scenarioId: string, itemIds: readonly string[]): Promise<number>;
  abstract count(tenantId: string, scenarioId?: string): Promise<number>;
  /**
   * Items of the scenario (deleted ones excluded) per value of `metadata[field]`, counted by
   * MetadataValueTally (numbers per bucket when `bucketWidth` is given). `field` must match
   * METADATA_FIELD_PATTERN, and a width be positive (VALIDATION_FAILED otherwise).
   */
  abstract metadataValueCounts(tenantId: string, scenarioId: string, field: string, options?: MetadataValueOptions): Promise<MetadataValueCounts>;
}

export abstract class UserRepository {
  abstract upsert(user: User): Promise<void>;
  abstract get(tenantId: string, userId: string): Promise<User | null>;
  abstract delete(tenantId: string, userId: string): Promise<boolean>;
  abstract count(tenantId: string): Promise<number>;
}

export abstract class TrackingSchemaRepository {
  abstract put(schema: TrackingSchema): Promise<void>;
  abstract get(tenantId: string, scenarioId: string): Promise<TrackingSchema | null>;
  abstract delete(tenantId: string, scenarioId: string): Promise<boolean>;
}
