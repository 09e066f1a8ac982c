import { fromStored, toStored } from './stored-document';

describe('stored documents', () => {
  it('stores an ordinary document unchanged', () => {
    const doc = { tenant_id: 'acme', n: 1.5, flag: false, none: null, list: [1, 'two', { three: 3 }], nested: { a: { b: [] } }, empty: {} };
    expect(toStored(doc)).toEqual(doc);
    expect(fromStored(toStored(doc))).toEqual(doc);
  });

  it('escapes the keys FerretDB refuses (dots, leading $) and the escape character itself, reversibly', () => {
    const doc = { metadata: { 'a.b': 1, $where: 2, x$y: 3, '100%': 4, '%2E': 5, 'nul\0': 6, '': 7 } };
    const stored = toStored(doc);
    expect(Object.keys(stored.metadata as object)).toEqual(['a%2Eb', '%24where', 'x%24y', '100%25', '%252E', 'nul%00', '']);
    expect(fromStored(stored)).toEqual(doc);
  });

  it('wraps arrays nested in arrays, at any depth, and unwraps them on read', () => {
    const doc = { m: { grid: [[1, 2], [], [[3], 'x']], objects: [{ inner: [[4]] }] } };
    const stored = toStored(doc);
    expect(stored).toEqual({
      m: { grid: [{ '%array': [1, 2] }, { '%array': [] }, { '%array': [{ '%array': [3] }, 'x'] }], objects: [{ inner: [{ '%array': [4] }] }] },
    });
    expect(fromStored(stored)).toEqual(doc);
  });

  it('never mistakes a client key for the nested-array wrapper', () => {
    const doc = { m: { '%array': [1], list: [{ '%array': [2] }] } };
    expect(fromStored(toStored(doc))).toEqual(doc);
  });

  it('keeps the JSON semantics of the embedded adapter: undefined dropped, toJSON applied', () => {
    const doc = { kept: 1, dropped: undefined, inArray: [undefined, 2], at: new Date(0), nested: { gone: undefined } };
    const stored = toStored(doc);
    expect(stored).toEqual({ kept: 1, inArray: [null, 2], at: '1970-01-01T00:00:00.000Z', nested: {} });
    expect('dropped' in stored).toBe(false);
    expect(fromStored(stored)).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it('returns a fresh object, so the driver adding _id never touches the caller’s document', () => {
    const doc = { a: { b: 1 } };
    const stored = toStored(doc);
    stored._id = 'x';
    (stored.a as Record<string, unknown>).b = 2;
    expect(doc).toEqual({ a: { b: 1 } });
  });
});
