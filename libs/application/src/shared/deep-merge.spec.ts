import { deepMerge } from './deep-merge';

describe('deepMerge', () => {
  it('merges nested objects and replaces arrays and scalars', () => {
    const base = { a: { b: 1, c: [1, 2] }, d: 'x' };
    const merged = deepMerge(base, { a: { c: [3] }, d: 'y', e: true });
    expect(merged).toEqual({ a: { b: 1, c: [3] }, d: 'y', e: true });
    expect(base).toEqual({ a: { b: 1, c: [1, 2] }, d: 'x' });
  });
});
