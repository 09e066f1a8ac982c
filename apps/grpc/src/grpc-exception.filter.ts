import { Catch } from '@nestjs/common';
import { BaseRpcExceptionFilter } from '@nestjs/microservices';

/**
 * Nest's own RPC error handling, bound to every gRPC controller. In the all-in-one process REST's
 * global HttpExceptionFilter catches everything and writes HTTP responses; a controller-level
 * filter is consulted first, so gRPC failures (already shaped by GrpcCalls) reach grpc-js intact.
 */
@Catch()
export class GrpcExceptionFilter extends BaseRpcExceptionFilter {}
