import { checkConfidenceLevel, logRatioInterval, type ConfidenceInterval } from './confidence-interval';
import { normalQuantile, normalTwoSidedP } from './normal';

/** Successes out of independent Bernoulli trials (e.g. users who clicked out of users exposed). */
export interface ProportionSample {
  successes: number;
  trials: number;
}

export interface TwoProportionTestResult {
  control_rate: number;
  variant_rate: number;
  /** variant_rate − control_rate. */
  absolute_lift: number;
  /** Wald interval with the unpooled standard error (each arm's own rate). */
  absolute_lift_interval: ConfidenceInterval;
  /** variant_rate / control_rate − 1; null when the control rate is 0. */
  relative_lift: number | null;
  /** Delta-method interval on the log ratio; null when either rate is 0. */
  relative_lift_interval: ConfidenceInterval | null;
  /** Test statistic with the pooled standard error (the null hypothesis says both rates are equal). */
  z: number;
  /** Two-sided. */
  p_value: number;
}

/**
 * Two-sided two-proportion z-test of variant vs control, as statsmodels'
 * `proportions_ztest` (pooled variance) for the p-value and the unpooled Wald
 * interval for the difference, as `confint_proportions_2indep(method='wald')`.
 * The normal approximation needs a few successes and failures per arm; the
 * caller checks that (see `normalApproximationHolds`).
 */
export function twoProportionZTest(control: ProportionSample, variant: ProportionSample, confidenceLevel = 0.95): TwoProportionTestResult {
  checkProportion(control, 'control');
  checkProportion(variant, 'variant');
  checkConfidenceLevel(confidenceLevel);
  const p1 = control.successes / control.trials;
  const p2 = variant.successes / variant.trials;
  const difference = p2 - p1;
  const pooled = (control.successes + variant.successes) / (control.trials + variant.trials);
  const pooledStandardError = Math.sqrt(pooled * (1 - pooled) * (1 / control.trials + 1 / variant.trials));
  // All successes or none in both arms: the data cannot tell the arms apart.
  const z = pooledStandardError > 0 ? difference / pooledStandardError : 0;
  const critical = normalQuantile(1 - (1 - confidenceLevel) / 2);
  const unpooledStandardError = Math.sqrt((p1 * (1 - p1)) / control.trials + (p2 * (1 - p2)) / variant.trials);
  return {
    control_rate: p1,
    variant_rate: p2,
    absolute_lift: difference,
    absolute_lift_interval: { lower: difference - critical * unpooledStandardError, upper: difference + critical * unpooledStandardError, level: confidenceLevel },
    relative_lift: p1 > 0 ? p2 / p1 - 1 : null,
    // Var(p̂)/p² = (1 − p)/(n·p).
    relative_lift_interval: logRatioInterval(p1, p2, (1 - p1) / (control.trials * p1), (1 - p2) / (variant.trials * p2), critical, confidenceLevel),
    z,
    p_value: normalTwoSidedP(z),
  };
}

/**
 * The usual rule of thumb for the normal approximation of a binomial: at
 * least `minimum` successes and `minimum` failures.
 */
export function normalApproximationHolds(sample: ProportionSample, minimum = 5): boolean {
  return sample.successes >= minimum && sample.trials - sample.successes >= minimum;
}

function checkProportion(sample: ProportionSample, what: string): void {
  const { successes, trials } = sample;
  if (!(trials > 0) || !(successes >= 0) || successes > trials) {
    throw new RangeError(`${what} needs 0 <= successes <= trials and trials > 0, got ${successes}/${trials}`);
  }
}
