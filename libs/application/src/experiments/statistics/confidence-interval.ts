/** A two-sided interval at `level` (e.g. 0.95). */
export interface ConfidenceInterval {
  lower: number;
  upper: number;
  level: number;
}

export function checkConfidenceLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1), got ${level}`);
}

/**
 * Interval of the relative lift b/a − 1 from the delta method on the log of
 * the ratio: ln(b/a) ± critical·√(relVarA + relVarB), mapped back with exp.
 * Unlike difference/a ± …, it respects that the ratio cannot fall below −100%
 * and accounts for the control's own noise. `relativeVariance*` are
 * Var(estimate)/estimate². Null when either estimate is not positive.
 */
export function logRatioInterval(
  controlEstimate: number,
  variantEstimate: number,
  relativeVarianceControl: number,
  relativeVarianceVariant: number,
  criticalValue: number,
  level: number,
): ConfidenceInterval | null {
  if (!(controlEstimate > 0) || !(variantEstimate > 0)) return null;
  const logRatio = Math.log(variantEstimate / controlEstimate);
  const halfWidth = criticalValue * Math.sqrt(relativeVarianceControl + relativeVarianceVariant);
  return { lower: Math.expm1(logRatio - halfWidth), upper: Math.expm1(logRatio + halfWidth), level };
}
