import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  ApiKeyRepository,
  DEFAULT_QUOTAS,
  DomainError,
  TenantRepository,
  createApiKeySchema,
  createTenantSchema,
  updateTenantSchema,
  type ApiKey,
  type Page,
  type PageRequest,
  type Tenant,
} from '@lemo/domain';
import { generateApiKeySecret, hashApiKey } from '@lemo/platform-auth';
import { nowIso } from '../shared/time';

export type PublicApiKey = Omit<ApiKey, 'key_hash'>;
const publicKey = ({ key_hash: _hash, ...rest }: ApiKey): PublicApiKey => rest;

/** Platform-admin operations: tenants and their API keys. */
@Injectable()
export class TenantAdminUseCase {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly keys: ApiKeyRepository,
  ) {}

  async createTenant(input: z.infer<typeof createTenantSchema>): Promise<Tenant> {
    const now = nowIso();
    const tenant: Tenant = { tenant_id: input.tenant_id, name: input.name, status: 'active', quotas: { ...DEFAULT_QUOTAS, ...input.quotas }, created_at: now, updated_at: now };
    await this.tenants.create(tenant);
    return tenant;
  }

  listTenants(page: PageRequest): Promise<Page<Tenant>> {
    return this.tenants.list(page);
  }

  async getTenant(tenantId: string): Promise<Tenant> {
    const tenant = await this.tenants.get(tenantId);
    if (!tenant) throw DomainError.notFound('tenant', tenantId);
    return tenant;
  }

  async updateTenant(tenantId: string, input: z.infer<typeof updateTenantSchema>): Promise<Tenant> {
    const tenant = await this.getTenant(tenantId);
    const updated: Tenant = {
      ...tenant,
      name: input.name ?? tenant.name,
      status: input.status ?? tenant.status,
      quotas: { ...tenant.quotas, ...input.quotas },
      updated_at: nowIso(),
    };
    await this.tenants.update(updated);
    return updated;
  }

  /** Returns the key record and its secret; the secret is never retrievable again. */
  async createApiKey(tenantId: string, input: z.infer<typeof createApiKeySchema>): Promise<{ key: PublicApiKey; secret: string }> {
    await this.getTenant(tenantId);
    const secret = generateApiKeySecret(tenantId);
    const key: ApiKey = {
      key_id: randomUUID(),
      tenant_id: tenantId,
      name: input.name,
      key_hash: hashApiKey(secret),
      prefix: secret.slice(0, tenantId.length + 10),
      scopes: [...new Set(input.scopes)],
      revoked: false,
      created_at: nowIso(),
      revoked_at: null,
    };
    await this.keys.create(key);
    return { key: publicKey(key), secret };
  }

  async listApiKeys(tenantId: string): Promise<PublicApiKey[]> {
    await this.getTenant(tenantId);
    return (await this.keys.listByTenant(tenantId)).map(publicKey);
  }

  async revokeApiKey(tenantId: string, keyId: string): Promise<void> {
    if (!(await this.keys.revoke(tenantId, keyId, nowIso()))) throw DomainError.notFound('API key', keyId);
  }
}
