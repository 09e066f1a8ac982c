import { ApiKeyRepository, type ApiKey } from '@lemo/domain';
import type { SqliteDatabase } from '../sqlite/sqlite-database';
import { guarded } from '../sqlite/sqlite-errors';
import { parseBodies, parseBody, type BodyRow } from './json-body';

export class SqliteApiKeyRepository extends ApiKeyRepository {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  /** A taken key id in the tenant, or a taken secret hash anywhere, is ALREADY_EXISTS. */
  create(key: ApiKey): Promise<void> {
    return guarded(
      () => {
        this.db
          .statement('INSERT INTO api_keys (tenant_id, key_id, key_hash, created_at, body) VALUES (?, ?, ?, ?, ?)')
          .run(key.tenant_id, key.key_id, key.key_hash, key.created_at, JSON.stringify(key));
      },
      { entity: 'api key', id: key.key_id },
    );
  }

  findByHash(keyHash: string): Promise<ApiKey | null> {
    return guarded(() => parseBody<ApiKey>(this.db.statement('SELECT body FROM api_keys WHERE key_hash = ?').get(keyHash) as BodyRow | undefined));
  }

  listByTenant(tenantId: string): Promise<ApiKey[]> {
    return guarded(() =>
      parseBodies<ApiKey>(this.db.statement('SELECT body FROM api_keys WHERE tenant_id = ? ORDER BY created_at DESC, rowid DESC').all(tenantId) as BodyRow[]),
    );
  }

  /** Revoking twice keeps the first revocation time. */
  revoke(tenantId: string, keyId: string, revokedAt: string): Promise<boolean> {
    return guarded(() =>
      this.db.write(() => {
        const key = parseBody<ApiKey>(
          this.db.statement('SELECT body FROM api_keys WHERE tenant_id = ? AND key_id = ?').get(tenantId, keyId) as BodyRow | undefined,
        );
        if (!key) return false;
        if (key.revoked) return true;
        const revoked: ApiKey = { ...key, revoked: true, revoked_at: revokedAt };
        this.db.statement('UPDATE api_keys SET body = ? WHERE tenant_id = ? AND key_id = ?').run(JSON.stringify(revoked), tenantId, keyId);
        return true;
      }),
    );
  }
}
