import { Metadata, status } from '@grpc/grpc-js';
import { DomainError, ERROR_CODES } from '@lemo/domain';
import { recommenderCommon } from '@lemo/contracts';
import { errorDetailsOf, grpcStatusOf, internalFailure, toGrpcFailure, wireErrorCodeOf } from './grpc-errors';
import { GrpcStatusError } from './grpc-status-error';

describe('gRPC error mapping', () => {
  it('gives every domain code a status and a contract ErrorCode', () => {
    for (const code of ERROR_CODES) {
      expect(Object.values(status)).toContain(grpcStatusOf(code));
      expect(wireErrorCodeOf(code)).not.toBe(recommenderCommon.ErrorCode.ERROR_CODE_UNSPECIFIED);
    }
    expect(grpcStatusOf('VALIDATION_FAILED')).toBe(status.INVALID_ARGUMENT);
    expect(grpcStatusOf('RATE_LIMITED')).toBe(status.RESOURCE_EXHAUSTED);
    expect(grpcStatusOf('FAILED_PRECONDITION')).toBe(status.FAILED_PRECONDITION);
  });

  it('puts one ErrorDetail per field issue in the trailers', () => {
    const error = DomainError.invalidMany([
      { field: 'events.0.action_type', message: 'required' },
      { field: 'events.2.item_id', message: 'must not be empty' },
    ]);
    const failure = toGrpcFailure(error, new Metadata());
    expect(failure).toMatchObject({ code: status.INVALID_ARGUMENT, details: error.message });
    expect(errorDetailsOf(failure?.metadata ?? new Metadata())).toEqual([
      { code: recommenderCommon.ErrorCode.ERROR_CODE_INVALID_ARGUMENT, message: 'required', field: 'events.0.action_type', detail: 'VALIDATION_FAILED' },
      { code: recommenderCommon.ErrorCode.ERROR_CODE_INVALID_ARGUMENT, message: 'must not be empty', field: 'events.2.item_id', detail: 'VALIDATION_FAILED' },
    ]);
  });

  it('passes statuses of its own through, and leaves unknown and internal errors to the caller', () => {
    expect(toGrpcFailure(GrpcStatusError.unimplemented('X.Y', 'nothing does it'), new Metadata())?.code).toBe(status.UNIMPLEMENTED);
    expect(toGrpcFailure(new Error('boom'), new Metadata())).toBeNull();
    expect(toGrpcFailure(new DomainError('INTERNAL', 'secret detail'), new Metadata())).toBeNull();
    const internal = internalFailure('err-1', new Metadata());
    expect(internal.code).toBe(status.INTERNAL);
    expect(internal.details).not.toContain('secret');
    expect(errorDetailsOf(internal.metadata)[0].detail).toBe('err-1');
  });
});
