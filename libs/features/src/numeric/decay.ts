const MS_PER_HOUR = 3_600_000;

/**
 * Exponential half-life decay: 1 at age 0, 0.5 after `halfLifeHours`.
 * A negative age (clock skew, items published "in the future") counts as 0.
 */
export function halfLifeDecay(ageMs: number, halfLifeHours: number): number {
  if (!(ageMs > 0)) return 1;
  return Math.pow(2, -ageMs / (halfLifeHours * MS_PER_HOUR));
}
