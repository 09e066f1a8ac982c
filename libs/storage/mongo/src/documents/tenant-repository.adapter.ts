import { DomainError, TenantRepository, type Page, type PageRequest, type Tenant } from '@lemo/domain';
import type { Connection } from 'mongoose';
import { NEWEST_FIRST, StoredCollection, type CollectionSpec } from '../connection/stored-collection';

const TENANTS: CollectionSpec = {
  name: 'tenants',
  entity: 'tenant',
  indexes: [[{ tenant_id: 1 }, { unique: true }]],
};

/** The one collection listed across tenants: only the platform admin lists tenants, and there are few. */
export class MongoTenantRepository extends TenantRepository {
  private readonly tenants: StoredCollection<Tenant>;

  constructor(connection: Connection) {
    super();
    this.tenants = new StoredCollection(connection, TENANTS);
  }

  create(tenant: Tenant): Promise<void> {
    return this.tenants.insertOne(tenant, tenant.tenant_id);
  }

  get(tenantId: string): Promise<Tenant | null> {
    return this.tenants.findOne({ tenant_id: tenantId });
  }

  list(page: PageRequest): Promise<Page<Tenant>> {
    return this.tenants.page({}, NEWEST_FIRST, page);
  }

  async update(tenant: Tenant): Promise<void> {
    if (!(await this.tenants.replaceOne({ tenant_id: tenant.tenant_id }, tenant))) throw DomainError.notFound('tenant', tenant.tenant_id);
  }
}
