import { DomainError, TenantDocumentRepository, type Page, type PageRequest } from '@lemo/domain';
import type { Connection } from 'mongoose';
import { NEWEST_FIRST, StoredCollection, type StoredFilter } from '../connection/stored-collection';

/** Where one tenant-owned collection lives. Field names come from this code, never from input. */
export interface DocumentCollection<F extends object> {
  name: string;
  /** Singular noun for error messages. */
  entity: string;
  idField: string;
  /** Filter fields have the same name in the document and in the filter. */
  filterFields: ReadonlyArray<keyof F & string>;
}

/** The shared MongoDB implementation of TenantDocumentRepository (scenarios, experiments, models, datasets). */
export class MongoDocumentRepository<T extends { tenant_id: string; created_at: string }, F extends object> extends TenantDocumentRepository<T, F> {
  private readonly docs: StoredCollection<T>;

  constructor(
    connection: Connection,
    private readonly spec: DocumentCollection<F>,
  ) {
    super();
    this.docs = new StoredCollection<T>(connection, {
      name: spec.name,
      entity: spec.entity,
      indexes: [
        [{ tenant_id: 1, [spec.idField]: 1 }, { unique: true }],
        [{ tenant_id: 1, created_at: -1 }, {}],
      ],
    });
  }

  create(doc: T): Promise<void> {
    return this.docs.insertOne(doc, this.idOf(doc));
  }

  get(tenantId: string, id: string): Promise<T | null> {
    return this.docs.findOne(this.key(tenantId, id));
  }

  list(tenantId: string, filter: Partial<F>, page: PageRequest): Promise<Page<T>> {
    const query: StoredFilter = { tenant_id: tenantId };
    for (const field of this.spec.filterFields) if (filter[field] !== undefined) query[field] = filter[field];
    return this.docs.page(query, NEWEST_FIRST, page);
  }

  async update(doc: T): Promise<void> {
    if (!(await this.docs.replaceOne(this.key(doc.tenant_id, this.idOf(doc)), doc))) throw DomainError.notFound(this.spec.entity, this.idOf(doc));
  }

  delete(tenantId: string, id: string): Promise<boolean> {
    return this.docs.deleteOne(this.key(tenantId, id));
  }

  private key(tenantId: string, id: string): StoredFilter {
    return { tenant_id: tenantId, [this.spec.idField]: id };
  }

  private idOf(doc: T): string {
    return String((doc as Record<string, unknown>)[this.spec.idField]);
  }
}
