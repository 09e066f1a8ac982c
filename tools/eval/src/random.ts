import { seededRandom } from '@lemo/synthetic';

export type Random = () => number;

export function randomFor(seed: number): Random {
  return seededRandom(seed);
}

/** Fisher–Yates shuffle in place, driven by the seeded generator. */
export function shuffleInPlace(values: Int32Array | number[], random: Random): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = values[i];
    values[i] = values[j];
    values[j] = swap;
  }
}
