import { status as GrpcStatus } from '@grpc/grpc-js';
import { recommenderCommon } from '@lemo/contracts';

/**
 * A failure that already has its gRPC status, for the cases the domain has no code for
 * (an RPC without a use case, an expired deadline). Domain failures stay DomainErrors.
 */
export class GrpcStatusError extends Error {
  constructor(
    readonly grpcCode: GrpcStatus,
    readonly errorCode: recommenderCommon.ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GrpcStatusError';
  }

  /** The RPC exists in the contract but nothing in the platform does it yet; `missing` names what would. */
  static unimplemented(rpc: string, missing: string): GrpcStatusError {
    return new GrpcStatusError(GrpcStatus.UNIMPLEMENTED, recommenderCommon.ErrorCode.ERROR_CODE_UNIMPLEMENTED, `${rpc} is not implemented: ${missing}`);
  }

  static deadlineExceeded(rpc: string): GrpcStatusError {
    return new GrpcStatusError(GrpcStatus.DEADLINE_EXCEEDED, recommenderCommon.ErrorCode.ERROR_CODE_DEADLINE_EXCEEDED, `${rpc}: the call's deadline passed before it completed`);
  }
}
