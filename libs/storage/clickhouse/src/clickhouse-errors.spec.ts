import { ClickHouseError } from '@clickhouse/client';
import { DomainError } from '@lemo/domain';
import { toDomainError } from './clickhouse-errors';

const serverError = (type: string, code = '1') => new ClickHouseError({ message: `something happened (${type})`, code, type });

describe('ClickHouse error mapping', () => {
  it('maps overload, timeouts, credentials and a missing database to UNAVAILABLE', () => {
    for (const type of ['TIMEOUT_EXCEEDED', 'TOO_MANY_SIMULTANEOUS_QUERIES', 'MEMORY_LIMIT_EXCEEDED', 'TOO_MANY_PARTS', 'AUTHENTICATION_FAILED', 'UNKNOWN_DATABASE']) {
      expect(toDomainError(serverError(type))).toMatchObject({ code: 'UNAVAILABLE' });
    }
  });

  it('maps any other server refusal (our SQL is wrong) to INTERNAL, naming the type', () => {
    const mapped = toDomainError(serverError('SYNTAX_ERROR', '62'));
    expect(mapped).toMatchObject({ code: 'INTERNAL' });
    expect(mapped.message).toMatch(/^clickhouse: .*SYNTAX_ERROR/);
    expect(mapped.cause).toBeInstanceOf(ClickHouseError);
  });

  it('maps connection failures and client timeouts to UNAVAILABLE, other errors to INTERNAL', () => {
    expect(toDomainError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' }))).toMatchObject({ code: 'UNAVAILABLE' });
    expect(toDomainError(new Error('Timeout error.'))).toMatchObject({ code: 'UNAVAILABLE' });
    expect(toDomainError(new Error('socket hang up'))).toMatchObject({ code: 'UNAVAILABLE' });
    expect(toDomainError(new TypeError('cannot read properties of undefined'))).toMatchObject({ code: 'INTERNAL' });
    expect(toDomainError('a string')).toMatchObject({ code: 'INTERNAL', message: 'clickhouse: a string' });
  });

  it('lets DomainErrors through untouched', () => {
    const original = DomainError.invalid('from', 'bad');
    expect(toDomainError(original)).toBe(original);
  });
});
