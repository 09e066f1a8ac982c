import { z } from 'zod';

/** read: GET and recommend; write: push items, users, events; admin: scenarios, templates, experiments, models. */
export const API_KEY_SCOPES = ['read', 'write', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface ApiKey {
  key_id: string;
  tenant_id: string;
  name: string;
  /** SHA-256 of the secret; the secret itself is shown once and never stored. */
  key_hash: string;
  /** First characters of the secret, so an operator can tell keys apart. */
  prefix: string;
  scopes: ApiKeyScope[];
  revoked: boolean;
  created_at: string;
  revoked_at: string | null;
}

export const createApiKeySchema = z
  .object({
    name: z.string().min(1).max(128),
    scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).default(['read', 'write']),
  })
  .strict();

/** admin implies write implies read. */
export function scopeAllows(granted: readonly ApiKeyScope[], needed: ApiKeyScope): boolean {
  const rank: Record<ApiKeyScope, number> = { read: 0, write: 1, admin: 2 };
  return granted.some((scope) => rank[scope] >= rank[needed]);
}
