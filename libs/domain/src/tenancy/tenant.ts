import { z } from 'zod';
import { tenantIdSchema } from '../shared/identifiers';

export const TENANT_STATUSES = ['active', 'suspended'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

export interface TenantQuotas {
  max_items: number;
  max_users: number;
  max_events_per_day: number;
  /** Requests per second per API key (token bucket refill rate). */
  rate_limit_per_second: number;
}

export const DEFAULT_QUOTAS: TenantQuotas = { max_items: 10_000_000, max_users: 100_000_000, max_events_per_day: 1_000_000_000, rate_limit_per_second: 10_000 };

export interface Tenant {
  tenant_id: string;
  name: string;
  status: TenantStatus;
  quotas: TenantQuotas;
  created_at: string;
  updated_at: string;
}

export const createTenantSchema = z
  .object({
    tenant_id: tenantIdSchema,
    name: z.string().min(1).max(256),
    quotas: z
      .object({
        max_items: z.number().int().positive().optional(),
        max_users: z.number().int().positive().optional(),
        max_events_per_day: z.number().int().positive().optional(),
        rate_limit_per_second: z.number().int().positive().optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export const updateTenantSchema = z
  .object({
    name: z.string().min(1).max(256).optional(),
    status: z.enum(TENANT_STATUSES).optional(),
    quotas: createTenantSchema.shape.quotas.optional(),
  })
  .strict();
