import { DomainError } from '@lemo/domain';
import { duplicateIndexes, guarded, isDuplicateKeyOnly, retryingDuplicateUpsert, toDomainError } from './mongo-errors';

/** Stand-ins for driver errors: matched by name, code and labels, as the real ones are. */
const driverError = (name: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(`${name} happened`), { name, ...fields });

describe('toDomainError', () => {
  it('maps a duplicate key to ALREADY_EXISTS, naming the document when known', () => {
    const duplicate = driverError('MongoServerError', { code: 11000 });
    expect(toDomainError(duplicate, { entity: 'scenario', id: 'home' })).toMatchObject({ code: 'ALREADY_EXISTS', message: "scenario 'home' already exists" });
    expect(toDomainError(duplicate)).toMatchObject({ code: 'ALREADY_EXISTS', cause: duplicate });
  });

  it.each([
    ['a network failure', driverError('MongoNetworkError')],
    ['a network timeout', driverError('MongoNetworkTimeoutError')],
    ['no reachable server', driverError('MongoServerSelectionError')],
    ['a closed client', driverError('MongoTopologyClosedError')],
    ['a client never connected', driverError('MongoNotConnectedError')],
    ['a server shutting down', driverError('MongoServerError', { code: 91 })],
    ['a primary stepping down', driverError('MongoServerError', { code: 189 })],
    ['a retryable write', driverError('MongoServerError', { code: 1, hasErrorLabel: (label: string) => label === 'RetryableWriteError' })],
    ['a closed mongoose connection', new Error('Connection was force closed')],
  ])('maps %s to UNAVAILABLE', (_, error) => {
    expect(toDomainError(error)).toMatchObject({ code: 'UNAVAILABLE', cause: error });
  });

  it('maps anything else to INTERNAL and passes DomainErrors through', () => {
    expect(toDomainError(driverError('MongoServerError', { code: 2 }))).toMatchObject({ code: 'INTERNAL' });
    expect(toDomainError('plain string')).toMatchObject({ code: 'INTERNAL', message: 'mongodb error: plain string' });
    const domain = DomainError.notFound('item', 'i1');
    expect(toDomainError(domain)).toBe(domain);
  });

  it('makes guarded work reject with DomainErrors only', async () => {
    await expect(guarded(() => Promise.reject(driverError('MongoNetworkError')))).rejects.toBeInstanceOf(DomainError);
    await expect(guarded(() => Promise.resolve(7))).resolves.toBe(7);
  });
});

describe('duplicateIndexes', () => {
  it('returns the positions a bulk insert refused as duplicates, one error or many', () => {
    expect(
      duplicateIndexes({
        writeErrors: [
          { index: 1, code: 11000 },
          { index: 3, code: 11000 },
        ],
      }),
    ).toEqual(new Set([1, 3]));
    expect(duplicateIndexes({ writeErrors: { index: 0, code: 11000 } })).toEqual(new Set([0]));
  });

  it('rethrows, mapped, when anything but duplicates failed', () => {
    expect(() =>
      duplicateIndexes({
        writeErrors: [
          { index: 0, code: 11000 },
          { index: 1, code: 2 },
        ],
      }),
    ).toThrow(DomainError);
    expect(() => duplicateIndexes(driverError('MongoNetworkError'))).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
  });
});

describe('isDuplicateKeyOnly', () => {
  it('holds for a duplicate key, and for a bulk error whose every write error is one', () => {
    expect(isDuplicateKeyOnly(driverError('MongoServerError', { code: 11000 }))).toBe(true);
    expect(isDuplicateKeyOnly(driverError('MongoBulkWriteError', { code: 11000, writeErrors: [{ index: 2, code: 11000 }] }))).toBe(true);
    expect(isDuplicateKeyOnly({ writeErrors: { index: 0, code: 11000 } })).toBe(true);
    // A command-level duplicate, wrapped by the driver's bulk write with no write errors.
    expect(isDuplicateKeyOnly(driverError('MongoBulkWriteError', { code: 11000, writeErrors: [] }))).toBe(true);
  });

  it('does not hold when anything else failed, even if a duplicate came first', () => {
    const mixed = driverError('MongoBulkWriteError', {
      code: 11000,
      writeErrors: [
        { index: 0, code: 11000 },
        { index: 1, code: 2 },
      ],
    });
    expect(isDuplicateKeyOnly(mixed)).toBe(false);
    expect(isDuplicateKeyOnly(driverError('MongoBulkWriteError', { code: 2, writeErrors: [] }))).toBe(false);
    expect(isDuplicateKeyOnly(driverError('MongoNetworkError'))).toBe(false);
  });
});

describe('retryingDuplicateUpsert', () => {
  it('runs an upsert that lost a race on a new key once more', async () => {
    const work = jest
      .fn()
      .mockRejectedValueOnce(driverError('MongoServerError', { code: 11000 }))
      .mockResolvedValueOnce('replaced');
    await expect(retryingDuplicateUpsert(work)).resolves.toBe('replaced');
    expect(work).toHaveBeenCalledTimes(2);
  });

  it('does not retry other failures, nor a second duplicate', async () => {
    const network = jest.fn().mockRejectedValue(driverError('MongoNetworkError'));
    await expect(retryingDuplicateUpsert(network)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(network).toHaveBeenCalledTimes(1);
    const duplicate = jest.fn().mockRejectedValue(driverError('MongoServerError', { code: 11000 }));
    await expect(retryingDuplicateUpsert(duplicate)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(duplicate).toHaveBeenCalledTimes(2);
  });
});
