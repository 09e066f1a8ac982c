import { regularizedGammaQ } from './special-functions';

/** P(X > x) for a chi-square distribution with k degrees of freedom: Q(k/2, x/2). */
export function chiSquareSf(x: number, degreesOfFreedom: number): number {
  if (Number.isNaN(x) || !(degreesOfFreedom > 0)) return Number.NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(degreesOfFreedom / 2, x / 2);
}
