import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError, tenantIdSchema } from '@lemo/domain';
import { ACCESS_METADATA, constantTimeEquals, type Access } from '@lemo/platform-auth';
import { AppConfig } from '@lemo/platform-config';
import { INTERNAL_TOKEN_HEADER, TENANT_HEADER } from '@lemo/ranking';

/**
 * Trust model: the model-server is an internal service. Its callers (api,
 * grpc) have already authenticated the tenant and assert it in X-Tenant-Id;
 * the model-server keys every model by that tenant, so one tenant's header
 * never reaches another's models. It must not be exposed outside the cluster
 * network. When MODEL_SERVER_TOKEN is set, every call but health and metrics
 * must carry it in X-Internal-Token (compared in constant time).
 */
@Injectable()
export class InternalTokenGuard implements CanActivate {
  private readonly token: string | null;

  constructor(
    config: AppConfig,
    private readonly reflector: Reflector,
  ) {
    this.token = config.modelServer.token ?? null;
  }

  canActivate(context: ExecutionContext): boolean {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [context.getHandler(), context.getClass()]);
    if (!this.token || access?.kind === 'public') return true;
    const sent = context.switchToHttp().getRequest<Request>().headers[INTERNAL_TOKEN_HEADER];
    if (typeof sent !== 'string' || !constantTimeEquals(sent, this.token)) {
      throw new DomainError('UNAUTHENTICATED', `a valid ${INTERNAL_TOKEN_HEADER} header is required`);
    }
    return true;
  }
}

/** The tenant the calling service asserts in X-Tenant-Id: required, and a valid tenant id. */
export const CallerTenant = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => tenantFrom(ctx.switchToHttp().getRequest<Request>(), true) as string);

/** X-Tenant-Id when sent (listing filters by it), validated like CallerTenant. */
export const OptionalCallerTenant = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | undefined => tenantFrom(ctx.switchToHttp().getRequest<Request>(), false));

function tenantFrom(request: Request, required: boolean): string | undefined {
  const value = request.headers[TENANT_HEADER];
  if (value === undefined) {
    if (required) throw DomainError.invalid(TENANT_HEADER, 'the calling service must name the tenant');
    return undefined;
  }
  const parsed = tenantIdSchema.safeParse(value);
  if (!parsed.success) throw DomainError.invalid(TENANT_HEADER, parsed.error.issues[0]?.message ?? 'not a tenant id');
  return parsed.data;
}
