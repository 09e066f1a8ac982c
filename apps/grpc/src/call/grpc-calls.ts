import { Inject, Injectable } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { Metadata, type ServerUnaryCall } from '@grpc/grpc-js';
import type { ApiKeyScope } from '@lemo/domain';
import { LOGGER, requestIdFrom, runWithRequestContext, type AppLogger } from '@lemo/platform-observability';
import { Caller } from './caller';
import { GrpcAuth } from './grpc-auth';
import { internalFailure, toGrpcFailure } from './grpc-errors';
import { withinDeadline } from './deadline';

export const REQUEST_ID_KEY = 'x-request-id';

/**
 * Runs one unary call the way every handler needs it: request id (taken from x-request-id or
 * minted, echoed in headers and trailers, on every log line), the caller's tenant and scope
 * checked, the deadline honoured, and any failure turned into a gRPC status with ErrorDetails.
 */
@Injectable()
export class GrpcCalls {
  constructor(
    private readonly auth: GrpcAuth,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  run<Req, Res>(call: ServerUnaryCall<Req, Res>, scope: ApiKeyScope, handle: (caller: Caller) => Promise<Res>): Promise<Res> {
    return this.execute(call, async () => handle(new Caller(await this.auth.tenantOf(call.metadata, scope))));
  }

  /**
   * `run` for requests that carry a `tenant_id`: the handler gets the tenant the request acts on,
   * the caller's own (an empty field means it; any other tenant is PERMISSION_DENIED naming the field).
   */
  forTenant<Req, Res>(call: ServerUnaryCall<Req, Res>, scope: ApiKeyScope, requestedTenant: string, handle: (tenantId: string) => Promise<Res>): Promise<Res> {
    return this.run(call, scope, (caller) => handle(caller.tenant(requestedTenant)));
  }

  /** For RPCs over the whole platform rather than one tenant (FlinkJobService's stream jobs): the platform admin key only. */
  runAsPlatformAdmin<Req, Res>(call: ServerUnaryCall<Req, Res>, handle: () => Promise<Res>): Promise<Res> {
    return this.execute(call, async () => {
      await this.auth.requirePlatformAdmin(call.metadata);
      return handle();
    });
  }

  /** For RPCs that touch no tenant data and answer the same to anyone (FlinkJobService's refusals). */
  runWithoutCredentials<Req, Res>(call: ServerUnaryCall<Req, Res>, handle: () => Promise<Res>): Promise<Res> {
    return this.execute(call, handle);
  }

  private execute<Req, Res>(call: ServerUnaryCall<Req, Res>, work: () => Promise<Res>): Promise<Res> {
    const requestId = requestIdFrom(call.metadata.get(REQUEST_ID_KEY)[0]);
    const headers = new Metadata();
    headers.set(REQUEST_ID_KEY, requestId);
    call.sendMetadata(headers);
    return runWithRequestContext({ requestId }, async () => {
      try {
        return await withinDeadline(call, work);
      } catch (error) {
        const trailers = new Metadata();
        trailers.set(REQUEST_ID_KEY, requestId);
        // RpcException hands the object to grpc-js unchanged: code, details and the trailers.
        throw new RpcException(toGrpcFailure(error, trailers) ?? this.internal(error, call.getPath(), trailers));
      }
    });
  }

  private internal(error: unknown, rpc: string, trailers: Metadata) {
    const errorId = randomUUID();
    this.logger.error({ err: error, error_id: errorId, rpc }, 'unhandled gRPC error');
    return internalFailure(errorId, trailers);
  }
}
