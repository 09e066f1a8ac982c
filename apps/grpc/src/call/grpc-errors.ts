import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import { DomainError, type ErrorCode } from '@lemo/domain';
import { recommenderCommon } from '@lemo/contracts';
import { GrpcStatusError } from './grpc-status-error';

/** Trailer carrying one serialized lemo.recommender_common.v1.ErrorDetail per problem (binary, hence `-bin`). */
export const ERROR_DETAIL_TRAILER = 'lemo-error-detail-bin';

/** What grpc-js needs to fail a call: status, message, and trailers (error details, request id). */
export interface GrpcFailure {
  code: GrpcStatus;
  details: string;
  message: string;
  metadata: Metadata;
}

const { ErrorCode: WireCode } = recommenderCommon;

/** Domain code → gRPC status. Exhaustive: a new domain code fails to compile until mapped here. */
export function grpcStatusOf(code: ErrorCode): GrpcStatus {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'INVALID_SCENARIO_CONFIG':
      return GrpcStatus.INVALID_ARGUMENT;
    case 'NOT_FOUND':
      return GrpcStatus.NOT_FOUND;
    case 'ALREADY_EXISTS':
      return GrpcStatus.ALREADY_EXISTS;
    case 'CONFLICT':
      return GrpcStatus.ABORTED;
    case 'UNAUTHENTICATED':
      return GrpcStatus.UNAUTHENTICATED;
    case 'PERMISSION_DENIED':
      return GrpcStatus.PERMISSION_DENIED;
    case 'RATE_LIMITED':
    case 'QUOTA_EXCEEDED':
      return GrpcStatus.RESOURCE_EXHAUSTED;
    case 'FAILED_PRECONDITION':
      return GrpcStatus.FAILED_PRECONDITION;
    case 'UNAVAILABLE':
      return GrpcStatus.UNAVAILABLE;
    case 'INTERNAL':
      return GrpcStatus.INTERNAL;
  }
}

/** Domain code → the contract's ErrorCode carried in ErrorDetail. */
export function wireErrorCodeOf(code: ErrorCode): recommenderCommon.ErrorCode {
  switch (code) {
    case 'VALIDATION_FAILED':
      return WireCode.ERROR_CODE_INVALID_ARGUMENT;
    case 'INVALID_SCENARIO_CONFIG':
      return WireCode.ERROR_CODE_INVALID_SCENARIO_CONFIG;
    case 'NOT_FOUND':
      return WireCode.ERROR_CODE_NOT_FOUND;
    case 'ALREADY_EXISTS':
      return WireCode.ERROR_CODE_ALREADY_EXISTS;
    case 'CONFLICT':
      return WireCode.ERROR_CODE_ABORTED;
    case 'UNAUTHENTICATED':
      return WireCode.ERROR_CODE_UNAUTHENTICATED;
    case 'PERMISSION_DENIED':
      return WireCode.ERROR_CODE_PERMISSION_DENIED;
    case 'RATE_LIMITED':
    case 'QUOTA_EXCEEDED':
      return WireCode.ERROR_CODE_RESOURCE_EXHAUSTED;
    case 'FAILED_PRECONDITION':
      return WireCode.ERROR_CODE_FAILED_PRECONDITION;
    case 'UNAVAILABLE':
      return WireCode.ERROR_CODE_UNAVAILABLE;
    case 'INTERNAL':
      return WireCode.ERROR_CODE_INTERNAL;
  }
}

/**
 * Shapes a known failure for grpc-js. Returns null for anything else: those are
 * internal errors, logged with an id by the caller and never described to the client.
 */
export function toGrpcFailure(error: unknown, trailers: Metadata): GrpcFailure | null {
  if (error instanceof DomainError) {
    const code = grpcStatusOf(error.code);
    if (code === GrpcStatus.INTERNAL) return null;
    const wireCode = wireErrorCodeOf(error.code);
    const details = error.issues.length ? error.issues.map((issue) => ({ code: wireCode, message: issue.message, field: issue.field, detail: error.code })) : [{ code: wireCode, message: error.message, field: '', detail: error.code }];
    return failure(code, error.message, details, trailers);
  }
  if (error instanceof GrpcStatusError) {
    return failure(error.grpcCode, error.message, [{ code: error.errorCode, message: error.message, field: '', detail: '' }], trailers);
  }
  return null;
}

export function internalFailure(errorId: string, trailers: Metadata): GrpcFailure {
  const message = `internal error; quote error_id ${errorId} when reporting it`;
  return failure(GrpcStatus.INTERNAL, message, [{ code: WireCode.ERROR_CODE_INTERNAL, message, field: '', detail: errorId }], trailers);
}

function failure(code: GrpcStatus, message: string, details: recommenderCommon.ErrorDetail[], trailers: Metadata): GrpcFailure {
  for (const detail of details) trailers.add(ERROR_DETAIL_TRAILER, Buffer.from(recommenderCommon.ErrorDetail.encode(detail).finish()));
  return { code, details: message, message, metadata: trailers };
}

/** The ErrorDetails of a failed call, for clients (and tests) built on these stubs. */
export function errorDetailsOf(trailers: Metadata): recommenderCommon.ErrorDetail[] {
  return trailers.get(ERROR_DETAIL_TRAILER).map((value) => recommenderCommon.ErrorDetail.decode(typeof value === 'string' ? Buffer.from(value, 'base64') : value));
}
