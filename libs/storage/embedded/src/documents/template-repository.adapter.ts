import { TemplateRepository, type ConfigTemplate } from '@lemo/domain';
import type { SqliteDatabase } from '../sqlite/sqlite-database';
import { guarded } from '../sqlite/sqlite-errors';
import { parseBodies, parseBody, type BodyRow } from './json-body';

/** Owner column value of system templates; tenant ids are never empty, so it cannot clash. */
const SYSTEM_OWNER = '';

export class SqliteTemplateRepository extends TemplateRepository {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  upsert(template: ConfigTemplate): Promise<void> {
    return guarded(() => {
      this.db
        .statement('INSERT INTO templates (owner, template_id, body) VALUES (?, ?, ?) ON CONFLICT (owner, template_id) DO UPDATE SET body = excluded.body')
        .run(template.tenant_id ?? SYSTEM_OWNER, template.template_id, JSON.stringify(template));
    });
  }

  /** The tenant's own template wins over a system template with the same id. */
  get(tenantId: string, templateId: string): Promise<ConfigTemplate | null> {
    return guarded(() =>
      parseBody<ConfigTemplate>(
        this.db
          .statement('SELECT body FROM templates WHERE owner IN (?, ?) AND template_id = ? ORDER BY owner = ? LIMIT 1')
          .get(tenantId, SYSTEM_OWNER, templateId, SYSTEM_OWNER) as BodyRow | undefined,
      ),
    );
  }

  /** System templates first, then the tenant's, each by id. */
  list(tenantId: string): Promise<ConfigTemplate[]> {
    return guarded(() =>
      parseBodies<ConfigTemplate>(
        this.db.statement('SELECT body FROM templates WHERE owner IN (?, ?) ORDER BY owner, template_id').all(SYSTEM_OWNER, tenantId) as BodyRow[],
      ),
    );
  }

  delete(tenantId: string, templateId: string): Promise<boolean> {
    if (tenantId === SYSTEM_OWNER) return Promise.resolve(false);
    return guarded(() => this.db.statement('DELETE FROM templates WHERE owner = ? AND template_id = ?').run(tenantId, templateId).changes > 0);
  }
}
