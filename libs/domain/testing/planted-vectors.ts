/**
 * Small vector data sets with known structure, generated from a seed: a few
 * clusters around orthogonal axes, so the true nearest neighbours of a query
 * are known without trusting the index under test.
 */

/** Deterministic numbers in [0, 1) from a seed: a sine hash, plenty for test noise. */
export function seededRandom(seed: number): () => number {
  let n = 0;
  return () => {
    n += 1;
    const x = Math.sin(seed * 7919 + n * 104_729) * 43_758.5453;
    return x - Math.floor(x);
  };
}

/** The unit vector along `axis`, plus uniform noise of amplitude `noise` in every component. */
export function nearAxis(dimension: number, axis: number, noise: number, random: () => number): number[] {
  return Array.from({ length: dimension }, (_, i) => (i === axis ? 1 : 0) + (random() * 2 - 1) * noise);
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    normA += a[i] * a[i];
    normB += b[i] * b[i];
  }
  return dot / Math.sqrt(normA * normB);
}

export interface PlantedVector {
  id: string;
  cluster: number;
  vector: number[];
}

/** `perCluster` vectors around each of the first `clusters` axes, ids `c{cluster}-{i}`. */
export function plantedClusters(dimension: number, clusters: number, perCluster: number, seed = 7): PlantedVector[] {
  const random = seededRandom(seed);
  return Array.from({ length: clusters * perCluster }, (_, n) => {
    const cluster = Math.floor(n / perCluster);
    return { id: `c${cluster}-${n % perCluster}`, cluster, vector: nearAxis(dimension, cluster, 0.2, random) };
  });
}

/** The exact top-k by cosine similarity, best first. */
export function bruteForceTopK(data: readonly PlantedVector[], query: readonly number[], k: number, exclude: ReadonlySet<string> = new Set()): string[] {
  return data
    .filter((entry) => !exclude.has(entry.id))
    .map((entry) => ({ id: entry.id, score: cosine(entry.vector, query) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map((entry) => entry.id);
}
