import { normalCdf, normalQuantile } from './normal';

export type MinimumDetectableEffect =
  /** Difference of rates in absolute terms: 0.02 means 10% → 12%. */
  | { kind: 'absolute'; value: number }
  /** Difference relative to the baseline: 0.2 means 10% → 12%. */
  | { kind: 'relative'; value: number };

export interface TwoProportionDesign {
  baseline_rate: number;
  minimum_detectable_effect: MinimumDetectableEffect;
  /** Two-sided significance level; 0.05 by default. */
  alpha?: number;
  /** Probability to detect the effect when it is real; 0.8 by default. */
  power?: number;
}

/** The rate the variant would have at the minimum detectable effect. */
export function targetRate(baselineRate: number, effect: MinimumDetectableEffect): number {
  return effect.kind === 'absolute' ? baselineRate + effect.value : baselineRate * (1 + effect.value);
}

/**
 * Trials per arm (equal arms) for a two-sided two-proportion z-test to detect
 * p1 → p2 with the given power:
 *
 *   n = [z₁₋α/₂·√(2·p̄·(1−p̄)) + z₁₋β·√(p1(1−p1) + p2(1−p2))]² / (p2 − p1)²,  p̄ = (p1+p2)/2
 *
 * (Fleiss, Levin & Paik, Statistical Methods for Rates and Proportions, 3rd
 * ed., eq. 4.14 without continuity correction; the formula of R's
 * `power.prop.test`, which gives n = 3840.85 for p1 = 0.10, p2 = 0.12,
 * α = 0.05, power = 0.8). Rounded up.
 */
export function sampleSizePerArm(design: TwoProportionDesign): number {
  const { p1, p2, alpha, power } = resolveDesign(design);
  const pBar = (p1 + p2) / 2;
  const zAlpha = normalQuantile(1 - alpha / 2);
  const zBeta = normalQuantile(power);
  const numerator = zAlpha * Math.sqrt(2 * pBar * (1 - pBar)) + zBeta * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return Math.ceil((numerator * numerator) / ((p2 - p1) * (p2 - p1)));
}

/** Approximate power of the two-sided test with `trialsPerArm` per arm: the inverse of `sampleSizePerArm` (ignoring the far tail). */
export function twoProportionPower(design: Omit<TwoProportionDesign, 'power'>, trialsPerArm: number): number {
  const { p1, p2, alpha } = resolveDesign({ ...design, power: 0.5 });
  const pBar = (p1 + p2) / 2;
  const zAlpha = normalQuantile(1 - alpha / 2);
  const z = (Math.abs(p2 - p1) * Math.sqrt(trialsPerArm) - zAlpha * Math.sqrt(2 * pBar * (1 - pBar))) / Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return normalCdf(z);
}

function resolveDesign(design: TwoProportionDesign): { p1: number; p2: number; alpha: number; power: number } {
  const alpha = design.alpha ?? 0.05;
  const power = design.power ?? 0.8;
  const p1 = design.baseline_rate;
  const p2 = targetRate(p1, design.minimum_detectable_effect);
  if (!(p1 > 0 && p1 < 1)) throw new RangeError(`baseline rate must be in (0, 1), got ${p1}`);
  if (!(p2 > 0 && p2 < 1) || p2 === p1) throw new RangeError(`the minimum detectable effect must move the rate to another value in (0, 1), got ${p2}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(power > 0 && power < 1)) throw new RangeError(`power must be in (0, 1), got ${power}`);
  return { p1, p2, alpha, power };
}
