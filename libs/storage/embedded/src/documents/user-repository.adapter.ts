import { UserRepository, type User } from '@lemo/domain';
import type { SqliteDatabase } from '../sqlite/sqlite-database';
import { guarded } from '../sqlite/sqlite-errors';
import { parseBody, type BodyRow } from './json-body';

export class SqliteUserRepository extends UserRepository {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  upsert(user: User): Promise<void> {
    return guarded(() => {
      this.db
        .statement('INSERT INTO users (tenant_id, user_id, body) VALUES (?, ?, ?) ON CONFLICT (tenant_id, user_id) DO UPDATE SET body = excluded.body')
        .run(user.tenant_id, user.user_id, JSON.stringify(user));
    });
  }

  get(tenantId: string, userId: string): Promise<User | null> {
    return guarded(() =>
      parseBody<User>(this.db.statement('SELECT body FROM users WHERE tenant_id = ? AND user_id = ?').get(tenantId, userId) as BodyRow | undefined),
    );
  }

  delete(tenantId: string, userId: string): Promise<boolean> {
    return guarded(() => this.db.statement('DELETE FROM users WHERE tenant_id = ? AND user_id = ?').run(tenantId, userId).changes > 0);
  }

  count(tenantId: string): Promise<number> {
    return guarded(() => (this.db.statement('SELECT COUNT(*) AS total FROM users WHERE tenant_id = ?').get(tenantId) as { total: number }).total);
  }
}
