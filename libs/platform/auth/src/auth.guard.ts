import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyRepository, DomainError, scopeAllows, TenantRepository, API_KEY_SCOPES, type Tenant } from '@lemo/domain';
import { AppConfig } from '@lemo/platform-config';
import { constantTimeEquals, hashApiKey } from './api-key-secret';
import { AUTH_CONTEXT, type AuthContext } from './auth-context';
import { ACCESS_METADATA, type Access } from './auth.decorators';
import { RateLimiter } from './rate-limiter';

/** How long a resolved key or tenant is trusted before it is read again (revocations apply within this). */
const CREDENTIAL_CACHE_MS = 2_000;
/**
 * A credential kept past its time because its store is unreachable is not asked
 * for again sooner than this: well above the 5 s a probe of an unreachable
 * MongoDB costs, so that wait is not paid by every request of the caller.
 */
const STALE_RETRY_MS = 15_000;

interface CachedCredential {
  context: AuthContext;
  tenant: Tenant;
  expiresAt: number;
}

/**
 * Resolves the caller (platform admin, tenant API key, or gateway-asserted
 * tenant), enforces the route's access level and the key's rate limit.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly credentials = new Map<string, CachedCredential>();
  private readonly limiter = new RateLimiter();

  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly keys: ApiKeyRepository,
    private readonly tenants: TenantRepository,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [ctx.getHandler(), ctx.getClass()]) ?? { kind: 'tenant', scope: 'read' };
    if (access.kind === 'public') return true;
    const request = ctx.switchToHttp().getRequest();
    const apiKey = header(request, 'x-api-key') ?? bearer(header(request, 'authorization'));

    if (access.kind === 'platform-admin') {
      if (!this.isAdminKey(apiKey)) throw new DomainError(apiKey ? 'PERMISSION_DENIED' : 'UNAUTHENTICATED', 'the platform admin key is required (X-Api-Key)');
      request[AUTH_CONTEXT] = { tenantId: null, keyId: null, scopes: API_KEY_SCOPES, isPlatformAdmin: true } satisfies AuthContext;
      return true;
    }

    const credential = await this.resolveTenantCredential(request, apiKey);
    if (credential.tenant.status !== 'active') throw new DomainError('PERMISSION_DENIED', `tenant '${credential.tenant.tenant_id}' is ${credential.tenant.status}`);
    if (!scopeAllows(credential.context.scopes, access.scope)) {
      throw new DomainError('PERMISSION_DENIED', `this API key lacks the '${access.scope}' scope`);
    }
    const limiterKey = credential.context.keyId ?? `tenant:${credential.tenant.tenant_id}`;
    if (!this.limiter.tryTake(limiterKey, credential.tenant.quotas.rate_limit_per_second)) {
      throw new DomainError('RATE_LIMITED', `rate limit of ${credential.tenant.quotas.rate_limit_per_second} requests/s exceeded`);
    }
    request[AUTH_CONTEXT] = credential.context;
    return true;
  }

  private isAdminKey(apiKey: string | undefined): boolean {
    const admin = this.config.auth.adminApiKey;
    return !!admin && !!apiKey && constantTimeEquals(apiKey, admin);
  }

  private async resolveTenantCredential(request: unknown, apiKey: string | undefined): Promise<CachedCredential> {
    if (this.config.auth.mode === 'gateway') {
      const tenantId = header(request, 'x-tenant-id');
      if (!tenantId) throw new DomainError('UNAUTHENTICATED', 'X-Tenant-Id header is required (gateway auth mode)');
      return this.cached(`gw:${tenantId}`, async () => {
        const tenant = await this.tenants.get(tenantId);
        if (!tenant) throw new DomainError('PERMISSION_DENIED', `unknown tenant '${tenantId}'`);
        return { tenant, context: { tenantId, keyId: null, scopes: API_KEY_SCOPES, isPlatformAdmin: false } };
      });
    }
    if (!apiKey) throw new DomainError('UNAUTHENTICATED', 'an API key is required (X-Api-Key header)');
    const keyHash = hashApiKey(apiKey);
    return this.cached(`key:${keyHash}`, async () => {
      const key = await this.keys.findByHash(keyHash);
      if (!key || key.revoked) throw new DomainError('UNAUTHENTICATED', 'invalid or revoked API key');
      const tenant = await this.tenants.get(key.tenant_id);
      if (!tenant) throw new DomainError('UNAUTHENTICATED', 'invalid or revoked API key');
      return { tenant, context: { tenantId: key.tenant_id, keyId: key.key_id, scopes: key.scopes, isPlatformAdmin: false } };
    });
  }

  /**
   * Stale-if-error: while the key store is unreachable, a caller this process
   * already resolved keeps the access it had (for STALE_RETRY_MS at a time,
   * so not every request waits on the store's timeout). Why: the document
   * store being down must not lock every caller out of reads that can still be
   * served; a revocation made meanwhile cannot have been written to it anyway,
   * and forget() still drops everything at once.
   */
  private async cached(cacheKey: string, load: () => Promise<Omit<CachedCredential, 'expiresAt'>>): Promise<CachedCredential> {
    const hit = this.credentials.get(cacheKey);
    if (hit && hit.expiresAt > Date.now()) return hit;
    let loaded: Omit<CachedCredential, 'expiresAt'>;
    try {
      loaded = await load();
    } catch (error) {
      if (!hit || !(error instanceof DomainError) || error.code !== 'UNAVAILABLE') throw error;
      hit.expiresAt = Date.now() + STALE_RETRY_MS;
      return hit;
    }
    const fresh = { ...loaded, expiresAt: Date.now() + CREDENTIAL_CACHE_MS };
    if (this.credentials.size > 10_000) this.credentials.clear();
    this.credentials.set(cacheKey, fresh);
    return fresh;
  }

  /** Drops cached credentials so a revocation or suspension applies at once in this process. */
  forget(): void {
    this.credentials.clear();
  }
}

function header(request: unknown, name: string): string | undefined {
  const value = (request as { headers: Record<string, string | string[] | undefined> }).headers[name];
  return Array.isArray(value) ? value[0] : value || undefined;
}

function bearer(authorization: string | undefined): string | undefined {
  return authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
}
