import { DomainError, offsetOf, TenantRepository, type Page, type PageRequest, type Tenant } from '@lemo/domain';
import type { SqliteDatabase } from '../sqlite/sqlite-database';
import { guarded } from '../sqlite/sqlite-errors';
import { parseBodies, parseBody, type BodyRow } from './json-body';

export class SqliteTenantRepository extends TenantRepository {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  create(tenant: Tenant): Promise<void> {
    return guarded(
      () => {
        this.db
          .statement('INSERT INTO tenants (tenant_id, created_at, body) VALUES (?, ?, ?)')
          .run(tenant.tenant_id, tenant.created_at, JSON.stringify(tenant));
      },
      { entity: 'tenant', id: tenant.tenant_id },
    );
  }

  get(tenantId: string): Promise<Tenant | null> {
    return guarded(() => parseBody<Tenant>(this.db.statement('SELECT body FROM tenants WHERE tenant_id = ?').get(tenantId) as BodyRow | undefined));
  }

  list(page: PageRequest): Promise<Page<Tenant>> {
    return guarded(() => {
      const { total } = this.db.statement('SELECT COUNT(*) AS total FROM tenants').get() as { total: number };
      const rows = this.db
        .statement('SELECT body FROM tenants ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?')
        .all(page.pageSize, offsetOf(page)) as BodyRow[];
      return { items: parseBodies<Tenant>(rows), total, page: page.page, pageSize: page.pageSize };
    });
  }

  update(tenant: Tenant): Promise<void> {
    return guarded(() => {
      const { changes } = this.db.statement('UPDATE tenants SET body = ? WHERE tenant_id = ?').run(JSON.stringify(tenant), tenant.tenant_id);
      if (changes === 0) throw DomainError.notFound('tenant', tenant.tenant_id);
    });
  }
}
