import { halfLifeDecay } from './decay';
import { hashString } from './hashing';
import { IdInterner } from './id-interner';
import { selectTop } from './select-top';
import { cosine, l2NormalizeInPlace, norm } from './vector-math';

describe('selectTop', () => {
  const rng = (seed: number) => () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;

  it.each([
    [1000, 25],
    [60, 50],
    [10, 50],
    [500, 1],
  ])('puts the k best of %i random scores first, best first, like a full sort (k=%i)', (n, k) => {
    const random = rng(n + k);
    // Coarse scores force many ties, which must be broken by the lower id.
    const scores = Array.from({ length: n }, () => Math.round(random() * 20) / 10);
    const ids = Int32Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const expected = Array.from(ids, (id, i) => ({ id, score: scores[i] }))
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .slice(0, k);
    const outIds = Int32Array.from(ids);
    const outScores = Float64Array.from(scores);
    const count = selectTop(outIds, outScores, n, k);
    expect(count).toBe(Math.min(n, k));
    expect(Array.from(outIds.subarray(0, count))).toEqual(expected.map((e) => e.id));
    expect(Array.from(outScores.subarray(0, count))).toEqual(expected.map((e) => e.score));
  });

  it('returns 0 for an empty input or k = 0', () => {
    expect(selectTop(new Int32Array(0), new Float64Array(0), 0, 5)).toBe(0);
    expect(selectTop(Int32Array.of(1), Float64Array.of(1), 1, 0)).toBe(0);
  });
});

describe('numeric helpers', () => {
  it('hashString is deterministic and seed-dependent', () => {
    expect(hashString('shoe')).toBe(hashString('shoe'));
    expect(hashString('shoe')).not.toBe(hashString('shoe', 1));
    expect(hashString('shoe')).not.toBe(hashString('shoes'));
  });

  it('halfLifeDecay halves per half-life and treats future times as now', () => {
    expect(halfLifeDecay(0, 24)).toBe(1);
    expect(halfLifeDecay(24 * 3_600_000, 24)).toBeCloseTo(0.5, 10);
    expect(halfLifeDecay(-5000, 24)).toBe(1);
  });

  it('IdInterner numbers ids densely in first-seen order', () => {
    const ids = new IdInterner();
    expect([ids.intern('b'), ids.intern('a'), ids.intern('b')]).toEqual([0, 1, 0]);
    expect(ids.size).toBe(2);
    expect(ids.idAt(1)).toBe('a');
    expect(ids.indexOf('zzz')).toBe(-1);
  });

  it('normalises and compares vectors, zero vectors included', () => {
    const v = l2NormalizeInPlace(new Float32Array([3, 4]));
    expect(norm(v)).toBeCloseTo(1, 6);
    expect(cosine(v, new Float32Array([6, 8]))).toBeCloseTo(1, 6);
    expect(cosine(v, new Float32Array(2))).toBe(0);
    expect(Array.from(l2NormalizeInPlace(new Float64Array(2)))).toEqual([0, 0]);
  });
});
