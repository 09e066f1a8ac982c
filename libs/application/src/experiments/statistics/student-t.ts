import { normalQuantile, normalSf } from './normal';
import { logGamma, regularizedBeta } from './special-functions';

/**
 * Student's t distribution with (possibly fractional, as Welch's test needs)
 * degrees of freedom, through the regularized incomplete beta function:
 * P(T > t) = ½ · I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0.
 */

/**
 * Above this many degrees of freedom the incomplete beta's continued fraction
 * runs with x within 1e-7 of 1 and loses digits (1e-7 relative at ν = 3·10⁹),
 * while R's large-ν normal approximation (`pt`, for ν > 4·10⁵) is already
 * within 1e-10 for |t| ≤ 8 and gains two digits per decade of ν.
 */
const NORMAL_APPROXIMATION_ABOVE_DF = 1e7;

/** P(T > t) for ν degrees of freedom. */
export function studentTSf(t: number, degreesOfFreedom: number): number {
  if (Number.isNaN(t) || !(degreesOfFreedom > 0)) return Number.NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  if (degreesOfFreedom > NORMAL_APPROXIMATION_ABOVE_DF) {
    const correction = 1 / (4 * degreesOfFreedom);
    return normalSf((t * (1 - correction)) / Math.sqrt(1 + t * t * 2 * correction));
  }
  // P(|T| > t) = I_x(ν/2, ½) with x = ν/(ν + t²); 1 − x = t²/(ν + t²) is passed exactly.
  const squared = t * t;
  const twoSided = regularizedBeta(degreesOfFreedom / (degreesOfFreedom + squared), degreesOfFreedom / 2, 0.5, squared / (degreesOfFreedom + squared));
  return t >= 0 ? 0.5 * twoSided : 1 - 0.5 * twoSided;
}

/** P(T ≤ t) for ν degrees of freedom. */
export function studentTCdf(t: number, degreesOfFreedom: number): number {
  return studentTSf(-t, degreesOfFreedom);
}

/** Two-sided p-value P(|T| ≥ |t|). */
export function studentTTwoSidedP(t: number, degreesOfFreedom: number): number {
  return Math.min(1, 2 * studentTSf(Math.abs(t), degreesOfFreedom));
}

export function studentTPdf(t: number, degreesOfFreedom: number): number {
  const v = degreesOfFreedom;
  const logDensity = logGamma((v + 1) / 2) - logGamma(v / 2) - 0.5 * Math.log(v * Math.PI) - ((v + 1) / 2) * Math.log1p((t * t) / v);
  return Math.exp(logDensity);
}

/**
 * The t with P(T ≤ t) = p. Newton's method from the Cornish–Fisher estimate
 * (Abramowitz & Stegun 26.7.5; already within 1e-6 for ν ≥ 30), kept inside
 * a bracket (bisection when a step leaves it), so it converges for every
 * ν > 0, including the heavy-tailed ν < 1 where the estimate is poor.
 */
export function studentTQuantile(p: number, degreesOfFreedom: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || !(degreesOfFreedom > 0)) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  // Solve on the upper half and mirror: the tail probability stays exact there.
  const tail = p < 0.5 ? p : 1 - p;
  const sign = p < 0.5 ? -1 : 1;
  const estimate = cornishFisher(-normalQuantile(tail), degreesOfFreedom);
  let low = 0;
  let high = Math.max(1, 1.01 * estimate);
  while (studentTSf(high, degreesOfFreedom) > tail) {
    low = high;
    high *= 2;
    if (!Number.isFinite(high)) return sign * Infinity;
  }
  let t = Math.min(Math.max(estimate, low), high);
  for (let i = 0; i < 200; i++) {
    const excess = studentTSf(t, degreesOfFreedom) - tail;
    if (excess > 0) low = t;
    else high = t;
    const newton = t + excess / studentTPdf(t, degreesOfFreedom);
    const next = newton > low && newton < high ? newton : (low + high) / 2;
    if (Math.abs(next - t) <= 1e-14 * Math.max(1, Math.abs(t))) return sign * next;
    t = next;
  }
  return sign * t;
}

/** Cornish–Fisher expansion of the t quantile around the normal quantile z. */
function cornishFisher(z: number, v: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + (g1 + (g2 + (g3 + g4 / v) / v) / v) / v;
}
