import type { ExperimentVariant } from '@lemo/domain';
import { HOLDOUT_GROUP } from './bucketing';
import { computeExperimentResults, type ResultsExperiment, type VariantAggregate } from './experiment-results';
import { twoProportionZTest } from './statistics';

function variant(variantId: string, trafficPercent: number, isControl = false): ExperimentVariant {
  return { variant_id: variantId, name: variantId.toUpperCase(), traffic_percent: trafficPercent, is_control: isControl, config_overrides: {} };
}

const experiment: ResultsExperiment = {
  experiment_id: 'exp-1',
  variants: [variant('control', 50, true), variant('b', 50)],
  min_sample_size: 1000,
  confidence_level: 0.95,
};

function aggregate(variantId: string, users: number, clicks: number, extra: Partial<VariantAggregate> = {}): VariantAggregate {
  return { variant_id: variantId, users, impressions: users, clicks, conversions: Math.round(clicks / 10), ...extra };
}

describe('computeExperimentResults', () => {
  it('tabulates rates, lift, interval and p-value per variant against the control', () => {
    const results = computeExperimentResults(experiment, [aggregate('control', 5000, 500), aggregate('b', 5000, 600)]);
    const [control, b] = results.variants;
    expect(results.control_variant_id).toBe('control');
    expect(results.alpha).toBeCloseTo(0.05, 12);
    expect(control).toMatchObject({ variant_id: 'control', name: 'CONTROL', is_control: true, users: 5000, clicks: 500 });
    expect(control.metrics.ctr).toEqual({ value: 0.1, vs_control: null });
    const expected = twoProportionZTest({ successes: 500, trials: 5000 }, { successes: 600, trials: 5000 });
    expect(b.metrics.ctr?.value).toBe(0.12);
    expect(b.metrics.ctr?.vs_control).toEqual({
      test: 'two_proportion_z',
      absolute_lift: expected.absolute_lift,
      absolute_lift_interval: expected.absolute_lift_interval,
      relative_lift: expected.relative_lift,
      relative_lift_interval: expected.relative_lift_interval,
      statistic: expected.z,
      degrees_of_freedom: null,
      p_value: expected.p_value,
      adjusted_p_value: expected.p_value,
      significant: true,
      insufficient_sample: false,
    });
    expect(results.sample_ratio.mismatch).toBe(false);
    expect(results.insufficient_sample).toBe(false);
    expect(results.warnings).toEqual([]);
  });

  it('plans the sample size from the control rate of the primary metric', () => {
    const results = computeExperimentResults(experiment, [aggregate('control', 2000, 200), aggregate('b', 1900, 200)], {
      minimum_detectable_effect: { kind: 'absolute', value: 0.02 },
    });
    expect(results.sample_size).toMatchObject({
      metric: 'ctr',
      unit: 'impressions',
      baseline_rate: 0.1,
      minimum_detectable_effect: { kind: 'absolute', value: 0.02 },
      power: 0.8,
      per_variant: 3841,
      progress: 1900 / 3841,
    });
    expect(results.sample_size?.alpha).toBeCloseTo(0.05, 12);
  });

  it('calls nothing significant below the minimum sample, however small the p-value', () => {
    const results = computeExperimentResults({ ...experiment, min_sample_size: 10_000 }, [aggregate('control', 5000, 500), aggregate('b', 5000, 700)]);
    const comparison = results.variants[1].metrics.ctr?.vs_control;
    expect(comparison?.p_value).toBeLessThan(1e-6);
    expect(comparison?.insufficient_sample).toBe(true);
    expect(comparison?.significant).toBe(false);
    expect(results.insufficient_sample).toBe(true);
    expect(results.warnings.map((warning) => warning.code)).toContain('insufficient_sample');
  });

  it('does not trust the normal approximation with a handful of clicks', () => {
    const results = computeExperimentResults({ ...experiment, min_sample_size: 100 }, [aggregate('control', 5000, 0), aggregate('b', 5000, 12)]);
    expect(results.variants[1].metrics.ctr?.vs_control).toMatchObject({ insufficient_sample: true, significant: false });
    expect(results.sample_size).toBeNull();
  });

  it('flags a sample ratio mismatch against the configured split', () => {
    const results = computeExperimentResults(experiment, [aggregate('control', 5300, 530), aggregate('b', 4700, 470)]);
    expect(results.sample_ratio.mismatch).toBe(true);
    expect(results.sample_ratio.p_value).toBeLessThan(0.001);
    expect(results.warnings.map((warning) => warning.code)).toEqual(['sample_ratio_mismatch']);
  });

  it('counts a variant without events as empty rather than leaving it out', () => {
    const results = computeExperimentResults(experiment, [aggregate('control', 5000, 500)]);
    expect(results.variants[1]).toMatchObject({ users: 0, metrics: { ctr: { value: null, vs_control: null } } });
    expect(results.sample_ratio.mismatch).toBe(true);
  });

  it('adjusts p-values for several variants (Holm)', () => {
    const threeArms = { ...experiment, variants: [variant('control', 34, true), variant('b', 33), variant('c', 33)] };
    const results = computeExperimentResults(threeArms, [aggregate('control', 5000, 500), aggregate('b', 4900, 560), aggregate('c', 4950, 500)]);
    const b = results.variants[1].metrics.ctr?.vs_control;
    const c = results.variants[2].metrics.ctr?.vs_control;
    expect(b?.adjusted_p_value).toBeCloseTo(2 * (b?.p_value ?? 0), 12);
    expect(c?.adjusted_p_value).toBeCloseTo(Math.max(c?.p_value ?? 0, 2 * (b?.p_value ?? 0)), 12);
    expect(b?.p_value).toBeLessThan(0.05);
    expect(b?.significant).toBe((b?.adjusted_p_value ?? 1) < 0.05);
  });

  it('adds user-level rates and Welch-tested durations when the aggregates have them', () => {
    const duration = (count: number, mean: number, sd: number) => ({ count, sum: count * mean, sum_of_squares: (count - 1) * sd * sd + count * mean * mean });
    const results = computeExperimentResults(experiment, [
      aggregate('control', 5000, 500, { clicking_users: 400, converting_users: 50, duration: duration(500, 30, 20) }),
      aggregate('b', 5000, 600, { clicking_users: 450, converting_users: 60, duration: duration(600, 33, 25) }),
    ]);
    const b = results.variants[1].metrics;
    expect(b.user_click_rate?.value).toBeCloseTo(0.09, 15);
    expect(b.user_conversion_rate?.value).toBeCloseTo(0.012, 15);
    expect(b.mean_duration?.value).toBeCloseTo(33, 10);
    expect(b.mean_duration?.vs_control).toMatchObject({ test: 'welch_t', significant: true });
    expect(b.mean_duration?.vs_control?.degrees_of_freedom).toBeGreaterThan(1000);
    expect(results.variants[0].metrics.mean_duration?.vs_control).toBeNull();
  });

  it('leaves out metrics the aggregates cannot support', () => {
    const results = computeExperimentResults(experiment, [aggregate('control', 5000, 500, { clicking_users: 400 }), aggregate('b', 5000, 600)]);
    expect(Object.keys(results.variants[1].metrics).sort()).toEqual(['conversion_rate', 'ctr']);
  });

  it('warns when several impressions per user make impression-level p-values too small', () => {
    const results = computeExperimentResults(experiment, [aggregate('control', 5000, 1500, { impressions: 15_000 }), aggregate('b', 5000, 1600, { impressions: 15_500 })]);
    expect(results.warnings.map((warning) => warning.code)).toEqual(['impressions_not_independent']);
  });

  it('leaves out unknown groups with a warning and the holdout silently', () => {
    const results = computeExperimentResults(experiment, [
      aggregate('control', 5000, 500),
      aggregate('b', 5000, 520),
      aggregate(HOLDOUT_GROUP, 900, 90),
      aggregate('old-variant', 10, 1),
    ]);
    expect(results.variants.map((row) => row.variant_id)).toEqual(['control', 'b']);
    expect(results.warnings.map((warning) => warning.code)).toEqual(['unknown_variant']);
  });

  it('compares against the first variant when none is marked control', () => {
    const results = computeExperimentResults({ ...experiment, variants: [variant('a', 50), variant('b', 50)] }, [aggregate('a', 5000, 500), aggregate('b', 5000, 520)]);
    expect(results.control_variant_id).toBe('a');
    expect(results.variants[0].is_control).toBe(true);
    expect(results.warnings.map((warning) => warning.code)).toEqual(['no_control']);
  });

  it('reports impossible counts instead of testing them', () => {
    const results = computeExperimentResults(experiment, [aggregate('control', 5000, 500), aggregate('b', 5000, 600, { impressions: 400 })]);
    expect(results.variants[1].metrics.ctr?.vs_control).toBeNull();
    expect(results.warnings.map((warning) => warning.code)).toContain('invalid_counts');
  });
});
