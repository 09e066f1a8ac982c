import { chiSquareSf } from './chi-square';

/**
 * The conventional SRM alarm: an allocation this far off the configured split
 * by chance happens once in a thousand experiments, while a real assignment
 * or logging bug (bots, redirects, crashes in one arm) usually drives p far
 * lower. Stricter than 0.05 because the check runs on every experiment, often.
 */
export const SRM_P_VALUE_THRESHOLD = 0.001;

export interface SampleRatioCheck {
  chi_square: number;
  degrees_of_freedom: number;
  p_value: number;
  /** p_value below the threshold: the observed split does not match the configured one; do not trust the results. */
  mismatch: boolean;
  /** Observed units per arm divided by the total, in input order. */
  observed_shares: number[];
  /** Configured shares, normalised to sum to 1, in input order. */
  expected_shares: number[];
}

/**
 * Pearson chi-square goodness-of-fit of observed units per arm (users, as
 * they are the unit of randomisation) against the configured weights (traffic
 * percentages; they need not sum to 100, e.g. when a holdout is left out).
 * Units in an arm configured at 0% are a mismatch by definition.
 */
export function sampleRatioMismatch(observed: readonly number[], expectedWeights: readonly number[], threshold = SRM_P_VALUE_THRESHOLD): SampleRatioCheck {
  if (observed.length !== expectedWeights.length || observed.length < 2) throw new RangeError('sample ratio check needs the same number (>= 2) of observed counts and weights');
  if (observed.some((count) => !(count >= 0)) || expectedWeights.some((weight) => !(weight >= 0))) throw new RangeError('counts and weights must be non-negative');
  const total = observed.reduce((sum, count) => sum + count, 0);
  const weightTotal = expectedWeights.reduce((sum, weight) => sum + weight, 0);
  if (!(weightTotal > 0)) throw new RangeError('at least one arm needs a positive weight');
  const expectedShares = expectedWeights.map((weight) => weight / weightTotal);
  const observedShares = observed.map((count) => (total > 0 ? count / total : 0));
  const testedArms = expectedShares.filter((share) => share > 0).length;
  const degreesOfFreedom = Math.max(1, testedArms - 1);
  if (total === 0) return { chi_square: 0, degrees_of_freedom: degreesOfFreedom, p_value: 1, mismatch: false, observed_shares: observedShares, expected_shares: expectedShares };
  let chiSquare = 0;
  for (let i = 0; i < observed.length; i++) {
    const expected = total * expectedShares[i];
    if (expected === 0) {
      if (observed[i] > 0) chiSquare = Infinity;
      continue;
    }
    chiSquare += ((observed[i] - expected) * (observed[i] - expected)) / expected;
  }
  const pValue = chiSquare === Infinity ? 0 : testedArms < 2 ? 1 : chiSquareSf(chiSquare, degreesOfFreedom);
  return { chi_square: chiSquare, degrees_of_freedom: degreesOfFreedom, p_value: pValue, mismatch: pValue < threshold, observed_shares: observedShares, expected_shares: expectedShares };
}
