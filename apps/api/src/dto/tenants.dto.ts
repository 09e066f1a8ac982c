import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import { API_KEY_SCOPES, TENANT_STATUSES, createApiKeySchema, createTenantSchema, updateTenantSchema } from '@lemo/domain';
import { pagedSchema } from './common.dto';

export class CreateTenantDto extends createZodDto(createTenantSchema) {}
export class UpdateTenantDto extends createZodDto(updateTenantSchema) {}
export class CreateApiKeyDto extends createZodDto(createApiKeySchema) {}

export const tenantSchema = z.object({
  tenant_id: z.string(),
  name: z.string(),
  status: z.enum(TENANT_STATUSES),
  quotas: z.object({ max_items: z.number(), max_users: z.number(), max_events_per_day: z.number(), rate_limit_per_second: z.number() }),
  created_at: z.string(),
  updated_at: z.string(),
});
export class TenantDto extends createZodDto(tenantSchema) {}
export class TenantPageDto extends createZodDto(pagedSchema(tenantSchema)) {}

export const apiKeySchema = z.object({
  key_id: z.string(),
  tenant_id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  revoked: z.boolean(),
  created_at: z.string(),
  revoked_at: z.string().nullable(),
});
export class ApiKeyDto extends createZodDto(apiKeySchema) {}
export class ApiKeyListDto extends createZodDto(z.object({ items: z.array(apiKeySchema) })) {}
export class CreatedApiKeyDto extends createZodDto(
  z.object({ key: apiKeySchema, api_key: z.string().describe('The secret. Shown once: store it now; only its hash is kept.') }),
) {}
