import type { Page, PageRequest } from '../shared/paging';

/**
 * Shape shared by the tenant-owned document collections (scenarios, experiments,
 * models, datasets). Every method takes the tenant: an adapter must never
 * return or touch another tenant's document, whatever the id.
 */
export abstract class TenantDocumentRepository<T, F extends object = Record<string, never>> {
  /** Inserts a new document; throws DomainError ALREADY_EXISTS when the id is taken in this tenant. */
  abstract create(doc: T): Promise<void>;
  abstract get(tenantId: string, id: string): Promise<T | null>;
  /** Filter fields are matched exactly; results are ordered by creation time, newest first. */
  abstract list(tenantId: string, filter: Partial<F>, page: PageRequest): Promise<Page<T>>;
  /** Replaces a stored document; throws DomainError NOT_FOUND when absent. */
  abstract update(doc: T): Promise<void>;
  /** Returns false when there was nothing to delete. */
  abstract delete(tenantId: string, id: string): Promise<boolean>;
}
