import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { DomainError, type ApiKeyScope } from '@lemo/domain';
import { AUTH_CONTEXT, type AuthContext } from './auth-context';

export const ACCESS_METADATA = 'lemo:access';

export type Access = { kind: 'public' } | { kind: 'platform-admin' } | { kind: 'tenant'; scope: ApiKeyScope };

/** No credential needed (health, metrics, docs). */
export const Public = () => SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies Access);
/** Only the platform admin key (tenant and key management). */
export const PlatformAdmin = () => SetMetadata(ACCESS_METADATA, { kind: 'platform-admin' } satisfies Access);
/** A tenant credential with at least this scope. Routes without a decorator need `read`. */
export const RequireScope = (scope: ApiKeyScope) => SetMetadata(ACCESS_METADATA, { kind: 'tenant', scope } satisfies Access);

/** The authenticated caller's tenant id; the guard guarantees it on tenant routes. */
export const TenantId = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const auth = ctx.switchToHttp().getRequest()[AUTH_CONTEXT] as AuthContext | undefined;
  if (!auth?.tenantId) throw new DomainError('UNAUTHENTICATED', 'a tenant credential is required');
  return auth.tenantId;
});

export const Auth = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthContext => ctx.switchToHttp().getRequest()[AUTH_CONTEXT]);
