import { z } from 'zod';

/**
 * Identifiers chosen by clients (tenant, scenario, item, user ids). They travel
 * in URLs, Kafka topic names, Redis keys and Milvus partitions, so the alphabet
 * is deliberately narrow.
 */
export const clientId = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, `${what} must not be empty`)
    .max(128, `${what} must be at most 128 characters`)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.:@-]*$/, `${what} may contain only letters, digits and _ . : @ -`);

/** Tenant ids are also part of topic and table names: lowercase, no dots. */
export const tenantIdSchema = z
  .string()
  .min(2, 'tenant_id must be at least 2 characters')
  .max(64, 'tenant_id must be at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'tenant_id may contain only lowercase letters, digits, _ and -');

export const metadataSchema = z.record(z.string(), z.unknown());
export type Metadata = Record<string, unknown>;
