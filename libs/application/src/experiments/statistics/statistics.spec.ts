import {
  chiSquareSf,
  hasMinimumSample,
  logBeta,
  logGamma,
  normalApproximationHolds,
  normalCdf,
  normalQuantile,
  normalSf,
  regularizedGammaP,
  regularizedGammaQ,
  sampleRatioMismatch,
  sampleSizePerArm,
  studentTCdf,
  studentTQuantile,
  studentTSf,
  summarizeMoments,
  twoProportionPower,
  twoProportionZTest,
  welchTTest,
} from './index';

// Reference values: mpmath at 40 digits (the same as scipy.stats' norm.sf, t.sf, chi2.sf, ...
// to the digits scipy prints), e.g. norm.sf(1.96) = 0.024997895148220435.

/** Relative error check that also works for values far in the tail. */
function expectRelativelyClose(actual: number, expected: number, tolerance: number): void {
  if (expected === 0) {
    expect(Math.abs(actual)).toBeLessThan(tolerance);
    return;
  }
  const relativeError = Math.abs(actual - expected) / Math.abs(expected);
  if (relativeError > tolerance) throw new Error(`expected ${expected}, got ${actual} (relative error ${relativeError.toExponential(2)})`);
}

describe('logGamma', () => {
  it.each([
    [0.5, 0.5723649429247001],
    [1, 0],
    [3.7, 1.428072326665388],
    [10, 12.80182748008147],
    [171.3, 708.1149470389969],
  ])('ln Γ(%p) = %p', (x, expected) => {
    expect(logGamma(x)).toBeCloseTo(expected, 12);
  });
});

describe('normal distribution', () => {
  it.each([
    [0, 0.5],
    [0.5, 0.3085375387259869],
    [1, 0.15865525393145705],
    [1.96, 0.024997895148220435],
    [3, 0.0013498980316300946],
    [5, 2.866515718791939e-07],
    [8.3, 5.205569744890254e-17],
    [10, 7.619853024160525e-24],
    [20, 2.7536241186062337e-89],
    [37, 5.725571222524577e-300],
    [-1, 0.8413447460685429],
    [-5, 0.9999997133484281],
  ])('sf(%p) = %p, relative precision kept in the far tail', (z, expected) => {
    expectRelativelyClose(normalSf(z), expected, 1e-12);
  });

  it('cdf mirrors sf', () => {
    expectRelativelyClose(normalCdf(-10), 7.619853024160525e-24, 1e-12);
    expect(normalCdf(1.96) + normalSf(1.96)).toBeCloseTo(1, 15);
  });

  it.each([
    [0.975, 1.9599639845400543],
    [0.8, 0.8416212335729142],
    [0.5, 0],
    [0.001, -3.0902323061678136],
    [1e-10, -6.361340902404057],
  ])('quantile(%p) = %p', (p, expected) => {
    expect(normalQuantile(p)).toBeCloseTo(expected, 11);
  });

  it('quantile near 1 is as exact as 1 − p is in double precision', () => {
    // The double nearest 0.999999 is off by ~1e-17, i.e. 1e-11 relative to 1 − p.
    expect(normalQuantile(0.999999)).toBeCloseTo(4.753424308822899, 10);
  });

  it('quantile inverts sf deep in the tail and at the ends', () => {
    expect(normalQuantile(normalCdf(-20))).toBeCloseTo(-20, 9);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
  });
});

describe('Student t distribution', () => {
  it.each([
    [2, 10, 0.03669401738537018],
    [0.5, 3, 0.3257239824240755],
    [2.5, 7.3, 0.019825117332800235],
    [10, 2, 0.004926228511662845],
    [30, 5, 3.859324310248026e-07],
    [1.2, 1000, 0.11521177616223353],
    [50, 0.5, 0.04535260640296638],
    [4, 30, 0.00019092281804187843],
  ])('sf(%p; ν=%p) = %p', (t, df, expected) => {
    expectRelativelyClose(studentTSf(t, df), expected, 1e-10);
  });

  it.each([
    [2, 1e6, 0.022750266925659603],
    [3.3, 1e7, 0.00048342583209648265],
    [2, 1e8, 0.022750133297953376],
    [5, 1e8, 2.866520550633643e-07],
    [2, 3e9, 0.02275013199317168],
  ])('sf(%p; ν=%p) = %p, for the df of Welch tests over millions of events', (t, df, expected) => {
    expectRelativelyClose(studentTSf(t, df), expected, 1e-9);
  });

  it('log B(a, b) keeps its precision when one argument is huge', () => {
    // mpmath: log(beta(5e7, 0.5)) = -8.29140183627151
    expectRelativelyClose(logBeta(5e7, 0.5), -8.29140183627151, 1e-13);
    expect(logBeta(3, 4)).toBeCloseTo(Math.log(1 / 60), 14);
  });

  it('is symmetric', () => {
    expectRelativelyClose(studentTCdf(-2, 10), 0.03669401738537018, 1e-10);
    expectRelativelyClose(studentTSf(-2, 10), 1 - 0.03669401738537018, 1e-12);
  });

  it.each([
    [0.975, 10, 2.228138851986275],
    [0.975, 3.5, 2.94008863798273],
    [0.999, 2, 22.327124770119877],
    [0.9, 1, 3.0776835371752536],
    [0.975, 1000, 1.9623390808264085],
    [0.995, 0.7, 364.93520298158535],
    [0.025, 10, -2.228138851986275],
  ])('quantile(%p; ν=%p) = %p', (p, df, expected) => {
    expectRelativelyClose(studentTQuantile(p, df), expected, 1e-9);
  });
});

describe('chi-square survival function', () => {
  it.each([
    [3.84, 1, 0.050043521248705106],
    [10, 3, 0.018566135463043233],
    [100, 50, 3.454931382984864e-05],
    [200, 10, 1.6139305336977305e-37],
    [0.5, 4, 0.9735009788392561],
    [1500, 1000, 1.0454640385979657e-22],
    [30, 2, 3.059023205018258e-07],
  ])('sf(%p; k=%p) = %p', (x, k, expected) => {
    expectRelativelyClose(chiSquareSf(x, k), expected, 1e-10);
  });

  it('P and Q of the incomplete gamma add up to 1', () => {
    expect(regularizedGammaP(3.5, 2) + regularizedGammaQ(3.5, 2)).toBeCloseTo(1, 14);
    expect(regularizedGammaP(3.5, 9) + regularizedGammaQ(3.5, 9)).toBeCloseTo(1, 14);
  });
});

describe('two-proportion z-test', () => {
  it('matches statsmodels proportions_ztest and the Wald interval', () => {
    const result = twoProportionZTest({ successes: 100, trials: 1000 }, { successes: 130, trials: 1000 });
    expect(result.control_rate).toBe(0.1);
    expect(result.variant_rate).toBe(0.13);
    expect(result.absolute_lift).toBeCloseTo(0.03, 15);
    expectRelativelyClose(result.z, 2.1027406056221145, 1e-12);
    expectRelativelyClose(result.p_value, 0.03548845046647469, 1e-10);
    expectRelativelyClose(result.absolute_lift_interval.lower, 0.0020679344393763643, 1e-9);
    expectRelativelyClose(result.absolute_lift_interval.upper, 0.057932065560623636, 1e-10);
    expect(result.relative_lift).toBeCloseTo(0.3, 12);
    expectRelativelyClose(result.relative_lift_interval?.lower ?? Number.NaN, 0.016984270971045514, 1e-9);
    expectRelativelyClose(result.relative_lift_interval?.upper ?? Number.NaN, 0.6617759470226023, 1e-10);
  });

  it('handles unequal arms and a non-significant difference', () => {
    const result = twoProportionZTest({ successes: 480, trials: 5000 }, { successes: 560, trials: 5200 });
    expectRelativelyClose(result.z, 1.9508442100691727, 1e-12);
    expectRelativelyClose(result.p_value, 0.051075580929469615, 1e-10);
    expectRelativelyClose(result.absolute_lift_interval.lower, -4.074869996921255e-05, 1e-7);
    expectRelativelyClose(result.absolute_lift_interval.upper, 0.023425364084584597, 1e-10);
    expectRelativelyClose(result.relative_lift_interval?.lower ?? Number.NaN, -0.0006369245904201302, 1e-7);
    expectRelativelyClose(result.relative_lift_interval?.upper ?? Number.NaN, 0.25922576624068216, 1e-10);
  });

  it('reports no evidence, not an error, when neither arm has a success', () => {
    const result = twoProportionZTest({ successes: 0, trials: 50 }, { successes: 0, trials: 60 });
    expect(result.z).toBe(0);
    expect(result.p_value).toBe(1);
    expect(result.relative_lift).toBeNull();
    expect(result.relative_lift_interval).toBeNull();
  });

  it('rejects impossible counts', () => {
    expect(() => twoProportionZTest({ successes: 11, trials: 10 }, { successes: 1, trials: 10 })).toThrow(RangeError);
    expect(() => twoProportionZTest({ successes: 0, trials: 0 }, { successes: 1, trials: 10 })).toThrow(RangeError);
  });

  it('knows when the normal approximation is too rough', () => {
    expect(normalApproximationHolds({ successes: 4, trials: 1000 })).toBe(false);
    expect(normalApproximationHolds({ successes: 998, trials: 1000 })).toBe(false);
    expect(normalApproximationHolds({ successes: 50, trials: 1000 })).toBe(true);
  });
});

describe("Welch's t-test", () => {
  it('matches scipy ttest_ind_from_stats(equal_var=False)', () => {
    const result = welchTTest({ count: 30, mean: 10, variance: 4 }, { count: 40, mean: 11, variance: 9 });
    expectRelativelyClose(result.t, 1.6705381391691136, 1e-12);
    expectRelativelyClose(result.degrees_of_freedom, 67.18775903614458, 1e-12);
    expectRelativelyClose(result.p_value, 0.09946541117633097, 1e-10);
    expectRelativelyClose(result.absolute_lift_interval.lower, -0.19476818850645977, 1e-9);
    expectRelativelyClose(result.absolute_lift_interval.upper, 2.1947681885064596, 1e-10);
    expect(result.relative_lift).toBeCloseTo(0.1, 12);
  });

  it('works from Σx and Σx² of large samples', () => {
    const control = summarizeMoments({ count: 812, sum: 52.1 * 812, sum_of_squares: 40.3 ** 2 * 811 + 52.1 ** 2 * 812 });
    const variant = summarizeMoments({ count: 790, sum: 55.7 * 790, sum_of_squares: 44.9 ** 2 * 789 + 55.7 ** 2 * 790 });
    expect(control.variance).toBeCloseTo(40.3 ** 2, 8);
    const result = welchTTest(control, variant);
    expectRelativelyClose(result.t, 1.6873311091502965, 1e-10);
    expectRelativelyClose(result.degrees_of_freedom, 1571.3687069845687, 1e-10);
    expectRelativelyClose(result.p_value, 0.09173816693854035, 1e-9);
    expectRelativelyClose(result.absolute_lift_interval.lower, -0.5848984400820233, 1e-8);
  });

  it('summarizes Σx, Σx² like the two-pass formula', () => {
    const values = [3, 7, 7, 19, 24.5];
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
    const summary = summarizeMoments({ count: values.length, sum: values.reduce((a, b) => a + b, 0), sum_of_squares: values.reduce((a, b) => a + b * b, 0) });
    expect(summary.mean).toBeCloseTo(mean, 12);
    expect(summary.variance).toBeCloseTo(variance, 10);
  });

  it('treats two constant arms as certain and refuses arms of one observation', () => {
    expect(welchTTest({ count: 5, mean: 2, variance: 0 }, { count: 5, mean: 2, variance: 0 }).p_value).toBe(1);
    expect(welchTTest({ count: 5, mean: 2, variance: 0 }, { count: 5, mean: 3, variance: 0 }).p_value).toBe(0);
    expect(() => welchTTest({ count: 1, mean: 2, variance: Number.NaN }, { count: 5, mean: 3, variance: 1 })).toThrow(RangeError);
  });
});

describe('sample ratio mismatch', () => {
  it('stays quiet for a split within chance', () => {
    // scipy.stats.chisquare([5050, 4950]) → statistic 1.0, p 0.31731050786291415.
    const check = sampleRatioMismatch([5050, 4950], [50, 50]);
    expect(check.chi_square).toBeCloseTo(1, 12);
    expectRelativelyClose(check.p_value, 0.31731050786291415, 1e-10);
    expect(check.mismatch).toBe(false);
  });

  it('fires for a broken split', () => {
    // 50/50 configured, 5,200 vs 4,800 observed: chi² = 16, p = 6.3e-5.
    const check = sampleRatioMismatch([5200, 4800], [50, 50]);
    expect(check.chi_square).toBeCloseTo(16, 12);
    expectRelativelyClose(check.p_value, 6.334248366623996e-05, 1e-9);
    expect(check.mismatch).toBe(true);
  });

  it('tests against uneven and unnormalised weights', () => {
    const check = sampleRatioMismatch([1800, 6100, 2100], [18, 60, 20]);
    expect(check.expected_shares[1]).toBeCloseTo(60 / 98, 15);
    expect(check.degrees_of_freedom).toBe(2);
    expect(check.mismatch).toBe(false);
  });

  it('calls units in a 0% arm a mismatch and nothing observed no mismatch', () => {
    expect(sampleRatioMismatch([10, 3], [100, 0]).mismatch).toBe(true);
    expect(sampleRatioMismatch([0, 0], [50, 50]).mismatch).toBe(false);
  });
});

describe('sample size of a two-proportion test', () => {
  it('needs 3,841 per arm for 10% → 12% at α = 0.05, power 0.8 (R power.prop.test: 3840.85)', () => {
    expect(sampleSizePerArm({ baseline_rate: 0.1, minimum_detectable_effect: { kind: 'absolute', value: 0.02 } })).toBe(3841);
    expect(sampleSizePerArm({ baseline_rate: 0.1, minimum_detectable_effect: { kind: 'relative', value: 0.2 } })).toBe(3841);
  });

  it('grows with power and shrinks with alpha and effect', () => {
    const base = { baseline_rate: 0.05, minimum_detectable_effect: { kind: 'relative', value: 0.1 } } as const;
    // The same formula in 30-digit mpmath: 59,210.05.
    expect(sampleSizePerArm({ ...base, alpha: 0.01, power: 0.9 })).toBe(59211);
    expect(sampleSizePerArm({ ...base, power: 0.9 })).toBeGreaterThan(sampleSizePerArm(base));
    expect(sampleSizePerArm({ ...base, minimum_detectable_effect: { kind: 'relative', value: 0.2 } })).toBeLessThan(sampleSizePerArm(base));
  });

  it('power at the computed size is the requested power', () => {
    const design = { baseline_rate: 0.1, minimum_detectable_effect: { kind: 'absolute', value: 0.02 } } as const;
    expect(twoProportionPower(design, sampleSizePerArm(design))).toBeCloseTo(0.8, 3);
  });

  it('rejects designs that leave (0, 1)', () => {
    expect(() => sampleSizePerArm({ baseline_rate: 0.9, minimum_detectable_effect: { kind: 'relative', value: 0.2 } })).toThrow(RangeError);
    expect(() => sampleSizePerArm({ baseline_rate: 0.1, minimum_detectable_effect: { kind: 'absolute', value: 0 } })).toThrow(RangeError);
  });
});

describe('minimum sample guard', () => {
  it('needs every arm at the minimum', () => {
    expect(hasMinimumSample([1000, 1200], 1000)).toBe(true);
    expect(hasMinimumSample([999, 5000], 1000)).toBe(false);
    expect(hasMinimumSample([], 1)).toBe(false);
  });
});
