/** Mulberry32, the engine's seeded PRNG: the same seed always yields the same data set. */
export { mulberry32 as seededRandom } from '@lemo/features';

/** Index in [0, n) with Zipf-like skew (s≈1): a few heads, a long tail. */
export function zipfIndex(random: () => number, n: number, skew = 1.1): number {
  // Inverse-CDF approximation of a bounded power law; cheap and good enough for popularity skew.
  const u = random();
  const value = Math.floor(Math.pow(n + 1, Math.pow(u, skew)) - 1);
  return Math.min(n - 1, Math.max(0, value));
}

export const pick = <T>(random: () => number, values: readonly T[]): T => values[Math.floor(random() * values.length)];
