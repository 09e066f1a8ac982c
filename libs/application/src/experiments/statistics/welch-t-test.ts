import { checkConfidenceLevel, logRatioInterval, type ConfidenceInterval } from './confidence-interval';
import { studentTQuantile, studentTTwoSidedP } from './student-t';

/** Sufficient statistics of a sample as a database aggregates them: count, Σx, Σx². */
export interface SampleMoments {
  count: number;
  sum: number;
  sum_of_squares: number;
}

/** Count, mean and unbiased (n − 1) variance. */
export interface SampleSummary {
  count: number;
  mean: number;
  variance: number;
}

/**
 * Mean and variance from Σx and Σx². The textbook formula cancels when the
 * mean is large against the spread; for durations (mean and spread of the same
 * order) double precision leaves ~10 significant digits even at 10⁹ events.
 * Rounding can push a zero variance slightly negative, hence the clamp.
 */
export function summarizeMoments(moments: SampleMoments): SampleSummary {
  const { count, sum, sum_of_squares } = moments;
  if (!(count > 0)) return { count: 0, mean: Number.NaN, variance: Number.NaN };
  const mean = sum / count;
  const variance = count > 1 ? Math.max(0, (sum_of_squares - sum * mean) / (count - 1)) : Number.NaN;
  return { count, mean, variance };
}

export interface WelchTestResult {
  control_mean: number;
  variant_mean: number;
  absolute_lift: number;
  absolute_lift_interval: ConfidenceInterval;
  relative_lift: number | null;
  relative_lift_interval: ConfidenceInterval | null;
  t: number;
  /** Welch–Satterthwaite degrees of freedom (fractional). */
  degrees_of_freedom: number;
  p_value: number;
}

/**
 * Welch's unequal-variance t-test of variant vs control (scipy's
 * `ttest_ind(equal_var=False)`), two-sided, with the matching t interval for
 * the difference of means. Needs at least 2 observations per arm.
 */
export function welchTTest(control: SampleSummary, variant: SampleSummary, confidenceLevel = 0.95): WelchTestResult {
  checkConfidenceLevel(confidenceLevel);
  if (!(control.count >= 2) || !(variant.count >= 2)) throw new RangeError(`Welch's test needs at least 2 observations per arm, got ${control.count} and ${variant.count}`);
  const squaredErrorControl = control.variance / control.count;
  const squaredErrorVariant = variant.variance / variant.count;
  const squaredError = squaredErrorControl + squaredErrorVariant;
  const difference = variant.mean - control.mean;
  const degreesOfFreedom =
    squaredError > 0
      ? (squaredError * squaredError) /
        ((squaredErrorControl * squaredErrorControl) / (control.count - 1) + (squaredErrorVariant * squaredErrorVariant) / (variant.count - 1))
      : control.count + variant.count - 2;
  const standardError = Math.sqrt(squaredError);
  // Both arms constant: any difference is certain, none is no evidence.
  const t = standardError > 0 ? difference / standardError : difference === 0 ? 0 : Math.sign(difference) * Infinity;
  const critical = studentTQuantile(1 - (1 - confidenceLevel) / 2, degreesOfFreedom);
  const meansAreComparable = control.mean !== 0;
  return {
    control_mean: control.mean,
    variant_mean: variant.mean,
    absolute_lift: difference,
    absolute_lift_interval: { lower: difference - critical * standardError, upper: difference + critical * standardError, level: confidenceLevel },
    relative_lift: meansAreComparable ? variant.mean / control.mean - 1 : null,
    relative_lift_interval: logRatioInterval(
      control.mean,
      variant.mean,
      squaredErrorControl / (control.mean * control.mean),
      squaredErrorVariant / (variant.mean * variant.mean),
      critical,
      confidenceLevel,
    ),
    t,
    degrees_of_freedom: degreesOfFreedom,
    p_value: standardError > 0 ? studentTTwoSidedP(t, degreesOfFreedom) : difference === 0 ? 1 : 0,
  };
}
