import { DomainError } from '@lemo/domain';
import { milvusCall, statusError, toDomainError, type MilvusStatus } from './milvus-errors';

const status = (overrides: Partial<MilvusStatus>): MilvusStatus => ({ error_code: 'UnexpectedError', code: 1, reason: 'boom', retriable: false, ...overrides });
const ok = status({ error_code: 'Success', code: 0, reason: '' });

describe('Milvus error mapping', () => {
  it('passes successful responses through, whether the status is the response or inside it', async () => {
    await expect(milvusCall('load', async () => ok)).resolves.toBe(ok);
    const response = { status: ok, data: [1] };
    await expect(milvusCall('query', async () => response)).resolves.toBe(response);
  });

  it.each([
    ['a missing collection', 'FAILED_PRECONDITION', status({ error_code: 'CollectionNotExists', code: 100 })],
    ['a missing collection (numeric code only)', 'FAILED_PRECONDITION', status({ error_code: 100, code: undefined })],
    ['a retriable failure', 'UNAVAILABLE', status({ retriable: true })],
    ['rate limiting', 'UNAVAILABLE', status({ error_code: 'RateLimit', code: 8 })],
    ['anything else', 'INTERNAL', status({ error_code: 6, code: 6, reason: 'bad expression' })],
  ])('turns a returned status of %s into %s', async (_, code, failure) => {
    const error = await milvusCall('search', async () => ({ status: failure })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code, message: expect.stringContaining('milvus search failed') });
    expect((error as DomainError).cause).toBe(failure);
  });

  it('lets a caller accept a specific status as an answer', async () => {
    const missing = { status: status({ code: 700, reason: 'index not found' }), index_descriptions: [] };
    await expect(
      milvusCall(
        'describeIndex',
        async () => missing,
        (s) => s.code === 700,
      ),
    ).resolves.toBe(missing);
  });

  it('maps statuses the SDK throws instead of returning', async () => {
    const thrown = status({ reason: "collection 'x' already exists" });
    await expect(milvusCall('createCollection', () => Promise.reject(thrown))).rejects.toMatchObject({ code: 'INTERNAL', cause: thrown });
  });

  it.each([
    ['UNAVAILABLE', 14],
    ['DEADLINE_EXCEEDED', 4],
  ])('maps gRPC %s (connection lost, server down or slow) to UNAVAILABLE', (_, grpcCode) => {
    const thrown = Object.assign(new Error(`${grpcCode} no connection established`), { code: grpcCode });
    expect(toDomainError('upsert', thrown)).toMatchObject({ code: 'UNAVAILABLE', cause: thrown });
  });

  it('maps a closed client to UNAVAILABLE and any other SDK error to INTERNAL, never rethrowing it', () => {
    expect(toDomainError('query', new Error('pool is draining and cannot accept work')).code).toBe('UNAVAILABLE');
    const bug = new TypeError("Cannot read properties of null (reading 'scores')");
    const mapped = toDomainError('search', bug);
    expect(mapped).toBeInstanceOf(DomainError);
    expect(mapped).toMatchObject({ code: 'INTERNAL', cause: bug });
  });

  it('leaves DomainErrors as they are', () => {
    const invalid = DomainError.invalid('vector', 'too short');
    expect(toDomainError('upsert', invalid)).toBe(invalid);
    expect(statusError('x', status({})).code).toBe('INTERNAL');
  });
});
