import { Injectable } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { Metadata } from '@grpc/grpc-js';
import { DomainError, type ApiKeyScope } from '@lemo/domain';
import { AUTH_CONTEXT, AuthGuard, PlatformAdmin, RequireScope, type AuthContext } from '@lemo/platform-auth';

/** The headers the AuthGuard reads, taken from the call's metadata (gRPC metadata keys are lowercase). */
const CREDENTIAL_KEYS = ['x-api-key', 'authorization', 'x-tenant-id'] as const;

interface GuardRequest {
  headers: Record<string, string>;
  [AUTH_CONTEXT]?: AuthContext;
}

/** One handler stand-in per scope, carrying the same @RequireScope metadata a REST route would. */
const SCOPE_MARKERS: Record<ApiKeyScope, () => void> = { read: scopeMarker('read'), write: scopeMarker('write'), admin: scopeMarker('admin') };

/** The stand-in for platform-admin RPCs: REST's @PlatformAdmin metadata (the ADMIN_API_KEY, never a tenant key). */
const PLATFORM_ADMIN_MARKER = (): void => undefined;
PlatformAdmin()(PLATFORM_ADMIN_MARKER);

function scopeMarker(scope: ApiKeyScope): () => void {
  const marker = (): void => undefined;
  RequireScope(scope)(marker);
  return marker;
}

/**
 * Authenticates a gRPC call with REST's AuthGuard itself (API key or gateway tenant header, tenant
 * status, scope, rate limit, credential cache), so both transports grant exactly the same access.
 */
@Injectable()
export class GrpcAuth {
  constructor(private readonly guard: AuthGuard) {}

  async tenantOf(metadata: Metadata, scope: ApiKeyScope): Promise<string> {
    const request: GuardRequest = { headers: headersOf(metadata) };
    await this.guard.canActivate(new ExecutionContextHost([request], GrpcAuth, SCOPE_MARKERS[scope]));
    const tenantId = request[AUTH_CONTEXT]?.tenantId;
    if (!tenantId) throw new DomainError('UNAUTHENTICATED', 'a tenant credential is required (x-api-key metadata)');
    return tenantId;
  }

  /** Passes only with the platform admin key, as REST's tenant and key administration does. */
  async requirePlatformAdmin(metadata: Metadata): Promise<void> {
    const request: GuardRequest = { headers: headersOf(metadata) };
    await this.guard.canActivate(new ExecutionContextHost([request], GrpcAuth, PLATFORM_ADMIN_MARKER));
    if (!request[AUTH_CONTEXT]?.isPlatformAdmin) throw new DomainError('PERMISSION_DENIED', 'the platform admin key is required');
  }
}

function headersOf(metadata: Metadata): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const key of CREDENTIAL_KEYS) {
    const value = metadata.get(key)[0];
    if (typeof value === 'string' && value !== '') headers[key] = value;
  }
  return headers;
}
