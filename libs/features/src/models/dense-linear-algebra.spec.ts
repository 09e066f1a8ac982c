import { invertSymmetricPositiveDefinite, NotPositiveDefiniteError } from './dense-linear-algebra';

/** A random symmetric positive-definite matrix: G·Gᵀ + n·I, full storage. */
function randomSpd(n: number, seed: number): Float64Array {
  let state = seed;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32) - 0.5;
  const g = Float64Array.from({ length: n * n }, random);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = i === j ? n : 0;
      for (let k = 0; k < n; k++) sum += g[i * n + k] * g[j * n + k];
      a[i * n + j] = sum;
    }
  }
  return a;
}

function maxDeviationFromIdentity(a: Float64Array, inverse: Float64Array, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += a[i * n + k] * inverse[k * n + j];
      worst = Math.max(worst, Math.abs(sum - (i === j ? 1 : 0)));
    }
  }
  return worst;
}

describe('invertSymmetricPositiveDefinite', () => {
  // Sizes around the 4-row blocks: remainders of 0..3 and a single partial block.
  it.each([1, 2, 3, 5, 8, 13, 30, 37])('A·A⁻¹ = I and A⁻¹ is symmetric (n=%i)', async (n) => {
    const a = randomSpd(n, n);
    const inverse = Float64Array.from(a);
    await invertSymmetricPositiveDefinite(inverse, n);
    expect(maxDeviationFromIdentity(a, inverse, n)).toBeLessThan(1e-10);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(inverse[i * n + j]).toBe(inverse[j * n + i]);
  });

  it('reads only the lower triangle', async () => {
    const n = 6;
    const a = randomSpd(n, 7);
    const garbage = Float64Array.from(a);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) garbage[i * n + j] = 1e9;
    await invertSymmetricPositiveDefinite(garbage, n);
    expect(maxDeviationFromIdentity(a, garbage, n)).toBeLessThan(1e-10);
  });

  it('refuses a matrix that is not positive definite', async () => {
    await expect(invertSymmetricPositiveDefinite(Float64Array.of(1, 2, 2, 1), 2)).rejects.toBeInstanceOf(NotPositiveDefiniteError);
  });

  it('reports monotone progress ending at 1', async () => {
    const n = 9;
    const seen: number[] = [];
    await invertSymmetricPositiveDefinite(randomSpd(n, 3), n, (fraction) => {
      seen.push(fraction);
    });
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(seen[seen.length - 1]).toBeCloseTo(1, 10);
  });
});
