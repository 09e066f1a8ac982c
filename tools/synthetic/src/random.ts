/** Mulberry32: a tiny seeded PRNG, so the same seed always yields the same data set. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Index in [0, n) with Zipf-like skew (s≈1): a few heads, a long tail. */
export function zipfIndex(random: () => number, n: number, skew = 1.1): number {
  // Inverse-CDF approximation of a bounded power law; cheap and good enough for popularity skew.
  const u = random();
  const value = Math.floor(Math.pow(n + 1, Math.pow(u, skew)) - 1);
  return Math.min(n - 1, Math.max(0, value));
}

export const pick = <T>(random: () => number, values: readonly T[]): T => values[Math.floor(random() * values.length)];
