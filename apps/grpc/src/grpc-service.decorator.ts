import { applyDecorators, UseFilters } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { handleUnaryCall, Metadata, ServerUnaryCall, ServiceDefinition } from '@grpc/grpc-js';
import { Public } from '@lemo/platform-auth';
import { GrpcExceptionFilter } from './grpc-exception.filter';

/**
 * A generated `…ServiceServer` interface with promise-returning handlers, as Nest calls them
 * (request, metadata, call). A controller that `implements` it must handle every RPC of the
 * service with the generated types; the index signature of the generated interface is dropped.
 */
export type UnaryHandlers<Server> = {
  [Rpc in keyof Server as string extends Rpc ? never : Rpc]: Server[Rpc] extends handleUnaryCall<infer Req, infer Res>
    ? (request: Req, metadata: Metadata, call: ServerUnaryCall<Req, Res>) => Promise<Res>
    : never;
};

/**
 * What every gRPC controller needs when REST shares the process (all-in-one): REST's global
 * AuthGuard reads HTTP headers, so it is told to let gRPC calls through (@Public) and GrpcCalls
 * authenticates each call from its metadata instead; REST's global error filter is bypassed.
 */
export const GrpcTransport = (): ClassDecorator => applyDecorators(Public(), UseFilters(GrpcExceptionFilter));

/**
 * Binds every RPC of a generated service definition to the controller method of the same name
 * (the definition's lowerCamel keys), and fails at start-up when one is missing.
 */
export function GrpcService(serviceName: string, definition: ServiceDefinition): ClassDecorator {
  return (target) => {
    GrpcTransport()(target);
    for (const rpc of Object.keys(definition)) {
      const descriptor = Object.getOwnPropertyDescriptor(target.prototype, rpc);
      if (!descriptor) throw new Error(`${target.name} has no handler for ${serviceName}.${rpc}`);
      GrpcMethod(serviceName, rpc)(target.prototype, rpc, descriptor);
    }
  };
}
