import { ApiKeyRepository, type ApiKey } from '@lemo/domain';
import type { Connection } from 'mongoose';
import { NEWEST_FIRST, StoredCollection, type CollectionSpec } from '../connection/stored-collection';

const API_KEYS: CollectionSpec = {
  name: 'api_keys',
  entity: 'api key',
  indexes: [
    [{ tenant_id: 1, key_id: 1 }, { unique: true }],
    // Authentication finds the tenant from the key, so this lookup cannot start with the tenant.
    [{ key_hash: 1 }, { unique: true }],
  ],
};

export class MongoApiKeyRepository extends ApiKeyRepository {
  private readonly keys: StoredCollection<ApiKey>;

  constructor(connection: Connection) {
    super();
    this.keys = new StoredCollection(connection, API_KEYS);
  }

  /** A taken key id in the tenant, or a taken secret hash anywhere, is ALREADY_EXISTS. */
  create(key: ApiKey): Promise<void> {
    return this.keys.insertOne(key, key.key_id);
  }

  findByHash(keyHash: string): Promise<ApiKey | null> {
    return this.keys.findOne({ key_hash: keyHash });
  }

  listByTenant(tenantId: string): Promise<ApiKey[]> {
    return this.keys.find({ tenant_id: tenantId }, { sort: NEWEST_FIRST });
  }

  /** Revoking twice keeps the first revocation time. */
  async revoke(tenantId: string, keyId: string, revokedAt: string): Promise<boolean> {
    const revoked = await this.keys.updateOne({ tenant_id: tenantId, key_id: keyId, revoked: false }, { revoked: true, revoked_at: revokedAt });
    return revoked || (await this.keys.count({ tenant_id: tenantId, key_id: keyId })) > 0;
  }
}
