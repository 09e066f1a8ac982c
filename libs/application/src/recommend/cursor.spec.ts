import { decodeCursor, encodeCursor } from './cursor';

describe('page cursor', () => {
  it('round-trips', () => {
    expect(decodeCursor(encodeCursor({ requestId: 'abc', offset: 20 }))).toEqual({ requestId: 'abc', offset: 20 });
  });

  it('rejects garbage naming the field', () => {
    expect(() => decodeCursor('not-a-cursor')).toThrow(/cursor/);
    expect(() => decodeCursor(Buffer.from('["x",-1]').toString('base64url'))).toThrow(/cursor/);
  });
});
