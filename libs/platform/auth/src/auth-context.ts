import type { ApiKeyScope } from '@lemo/domain';

/** Who is calling, resolved once per request by the AuthGuard. */
export interface AuthContext {
  /** The caller's tenant; null for the platform admin. */
  tenantId: string | null;
  keyId: string | null;
  scopes: readonly ApiKeyScope[];
  isPlatformAdmin: boolean;
}

export const AUTH_CONTEXT = 'lemoAuth';
