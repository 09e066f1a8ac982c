/**
 * The gRPC contract as TypeScript: message types with their codecs, grpc-js service definitions
 * (server side) and client constructors, generated from proto/ by tools/contracts/generate.mjs.
 * One namespace per proto package, because the packages reuse message names (HealthCheckRequest).
 */
export * as recommender from './generated/index.lemo.recommender.v1';
export * as recommenderCommon from './generated/index.lemo.recommender_common.v1';
export * as grpcHealth from './generated/index.grpc.health.v1';
export * as protobuf from './generated/index.google.protobuf';
