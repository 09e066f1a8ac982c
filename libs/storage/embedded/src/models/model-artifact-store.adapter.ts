import { checkArtifactKey, ModelArtifactStore, type ArtifactInfo } from '@lemo/domain';
import type { SqliteDatabase } from '../sqlite/sqlite-database';
import { guarded } from '../sqlite/sqlite-errors';

interface InfoRow {
  key: string;
  size: number;
  updated_at: string;
}

/** Model artifacts as BLOBs in the embedded database: one row per (tenant, key), replaced in one statement. */
export class SqliteModelArtifactStore extends ModelArtifactStore {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  put(tenantId: string, key: string, bytes: Uint8Array): Promise<ArtifactInfo> {
    return guarded(() => {
      checkArtifactKey(key);
      const updatedAt = new Date().toISOString();
      this.db
        .statement('INSERT OR REPLACE INTO model_artifacts (tenant_id, key, bytes, updated_at) VALUES (?, ?, ?, ?)')
        .run(tenantId, key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), updatedAt);
      return { key, bytes: bytes.byteLength, updated_at: updatedAt };
    });
  }

  get(tenantId: string, key: string): Promise<Uint8Array | null> {
    return guarded(() => {
      const row = this.db.statement('SELECT bytes FROM model_artifacts WHERE tenant_id = ? AND key = ?').get(tenantId, key) as { bytes: Buffer } | undefined;
      return row ? new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) : null;
    });
  }

  list(tenantId: string, prefix: string): Promise<ArtifactInfo[]> {
    return guarded(() => {
      // substr instead of LIKE: keys may contain '_' and '%' would need escaping.
      const rows = this.db
        .statement(
          'SELECT key, length(bytes) AS size, updated_at FROM model_artifacts WHERE tenant_id = ? AND substr(key, 1, ?) = ? ORDER BY key',
        )
        .all(tenantId, prefix.length, prefix) as InfoRow[];
      return rows.map((row) => ({ key: row.key, bytes: row.size, updated_at: row.updated_at }));
    });
  }

  delete(tenantId: string, key: string): Promise<boolean> {
    return guarded(() => this.db.statement('DELETE FROM model_artifacts WHERE tenant_id = ? AND key = ?').run(tenantId, key).changes > 0);
  }
}
