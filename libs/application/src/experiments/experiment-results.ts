import type { Experiment, ExperimentVariant } from '@lemo/domain';
import { HOLDOUT_GROUP } from './bucketing';
import {
  hasMinimumSample,
  holmAdjust,
  normalApproximationHolds,
  sampleRatioMismatch,
  sampleSizePerArm,
  summarizeMoments,
  targetRate,
  twoProportionZTest,
  welchTTest,
  type ConfidenceInterval,
  type MinimumDetectableEffect,
  type SampleMoments,
  type SampleRatioCheck,
} from './statistics';

/** What the analytics store counts for one variant (one `experiment_group`) over the experiment's range. */
export interface VariantAggregate {
  variant_id: string;
  /** Distinct users exposed: the unit of randomisation, and of the sample ratio check. */
  users: number;
  impressions: number;
  clicks: number;
  conversions: number;
  /** Distinct users with at least one click; user-level metrics are absent without it. */
  clicking_users?: number;
  /** Distinct users with at least one conversion. */
  converting_users?: number;
  /** Σ, Σx² and count of watch/read durations (one per event that reports one). */
  duration?: SampleMoments;
}

/**
 * Rates tested with the two-proportion z-test. The impression-level ones
 * (ctr, conversion_rate) treat impressions as independent trials, which they
 * are not when users see several: their p-values are then too small, and a
 * warning says so. The user-level ones count each user once and are exact in
 * that respect: prefer them for decisions.
 */
export const RATE_METRICS = ['ctr', 'conversion_rate', 'user_click_rate', 'user_conversion_rate'] as const;
export type RateMetric = (typeof RATE_METRICS)[number];
/** Means tested with Welch's t-test. */
export const MEAN_METRICS = ['mean_duration'] as const;
export type MeanMetric = (typeof MEAN_METRICS)[number];
export type MetricName = RateMetric | MeanMetric;

interface RateDefinition {
  unit: 'impressions' | 'users';
  successes: (aggregate: VariantAggregate) => number | undefined;
  trials: (aggregate: VariantAggregate) => number;
}

const RATE_DEFINITIONS: Record<RateMetric, RateDefinition> = {
  ctr: { unit: 'impressions', successes: (a) => a.clicks, trials: (a) => a.impressions },
  conversion_rate: { unit: 'impressions', successes: (a) => a.conversions, trials: (a) => a.impressions },
  user_click_rate: { unit: 'users', successes: (a) => a.clicking_users, trials: (a) => a.users },
  user_conversion_rate: { unit: 'users', successes: (a) => a.converting_users, trials: (a) => a.users },
};

/** What the results need of an experiment; the stored entity fits. */
export type ResultsExperiment = Pick<Experiment, 'experiment_id' | 'variants' | 'min_sample_size' | 'confidence_level'>;

export interface ExperimentResultsOptions {
  /** Metric the sample-size estimate is for. Default `ctr`. */
  primary_metric?: RateMetric;
  /** Smallest effect worth detecting on the primary metric. Default 5% relative. */
  minimum_detectable_effect?: MinimumDetectableEffect;
  /** Default 0.8. */
  power?: number;
}

export interface MetricComparison {
  test: 'two_proportion_z' | 'welch_t';
  /** Variant − control. */
  absolute_lift: number;
  absolute_lift_interval: ConfidenceInterval;
  /** Variant / control − 1; null when the control's value is 0. */
  relative_lift: number | null;
  relative_lift_interval: ConfidenceInterval | null;
  /** z or t. */
  statistic: number;
  /** Welch–Satterthwaite df for t; null for z. */
  degrees_of_freedom: number | null;
  /** Two-sided, of this comparison alone. */
  p_value: number;
  /** Holm-adjusted over the experiment's non-control variants on this metric (equal to p_value with one). */
  adjusted_p_value: number;
  /** adjusted_p_value < α and the sample is sufficient. */
  significant: boolean;
  /** Either arm is below min_sample_size users, or too few events for the test's approximation. */
  insufficient_sample: boolean;
}

export interface MetricResult {
  /** The variant's rate or mean; null when it has nothing to divide by. */
  value: number | null;
  /** Against the control; null for the control itself and when no test is possible. */
  vs_control: MetricComparison | null;
}

export interface VariantResult {
  variant_id: string;
  name: string;
  is_control: boolean;
  traffic_percent: number;
  users: number;
  impressions: number;
  clicks: number;
  conversions: number;
  /** Only the metrics the aggregates allow: user-level rates need distinct clicking/converting users, mean_duration needs durations. */
  metrics: Partial<Record<MetricName, MetricResult>>;
}

export interface SampleSizeEstimate {
  metric: RateMetric;
  unit: 'impressions' | 'users';
  /** The control's observed rate. */
  baseline_rate: number;
  minimum_detectable_effect: MinimumDetectableEffect;
  alpha: number;
  power: number;
  /** Units each variant needs (Fleiss formula, see `sampleSizePerArm`). */
  per_variant: number;
  /** Smallest variant's units / per_variant, at most 1. */
  progress: number;
}

export type ResultWarningCode = 'sample_ratio_mismatch' | 'insufficient_sample' | 'no_control' | 'unknown_variant' | 'invalid_counts' | 'impressions_not_independent';

export interface ResultWarning {
  code: ResultWarningCode;
  message: string;
}

export interface ExperimentResults {
  experiment_id: string;
  confidence_level: number;
  /** 1 − confidence_level. */
  alpha: number;
  control_variant_id: string;
  /** In the experiment's variant order. */
  variants: VariantResult[];
  /** Users per variant against traffic_percent. When it reports a mismatch, no result can be trusted. */
  sample_ratio: SampleRatioCheck;
  /** Some variant has fewer users than min_sample_size: nothing is reported significant yet. */
  insufficient_sample: boolean;
  /** Null when the control's primary rate is 0 or 1 (nothing to plan from yet). */
  sample_size: SampleSizeEstimate | null;
  warnings: ResultWarning[];
}

const DEFAULT_MINIMUM_DETECTABLE_EFFECT: MinimumDetectableEffect = { kind: 'relative', value: 0.05 };

/**
 * The results table of an experiment from per-variant aggregates: each
 * variant's rates and means, its lift over the control with confidence
 * intervals and p-values (z-test for rates, Welch for means, Holm-adjusted
 * across variants), the sample ratio check, the minimum-sample guard and the
 * sample size the primary metric needs. Pure: the caller queries analytics.
 */
export function computeExperimentResults(experiment: ResultsExperiment, aggregates: readonly VariantAggregate[], options: ExperimentResultsOptions = {}): ExperimentResults {
  const warnings: ResultWarning[] = [];
  // Rounded so that 1 − 0.95 reads 0.05 rather than 0.050000000000000044 in the API.
  const alpha = Number((1 - experiment.confidence_level).toPrecision(12));
  const control = controlOf(experiment.variants, warnings);
  const byVariant = aggregatesByVariant(experiment.variants, aggregates, warnings);
  const treatments = experiment.variants.filter((variant) => variant !== control);
  const insufficientSample = !hasMinimumSample(
    experiment.variants.map((variant) => byVariant.get(variant.variant_id)?.users ?? 0),
    experiment.min_sample_size,
  );
  if (insufficientSample) {
    warnings.push({ code: 'insufficient_sample', message: `some variants have fewer than ${experiment.min_sample_size} users: no difference is called significant yet` });
  }

  const metrics = new Map<string, Partial<Record<MetricName, MetricResult>>>(experiment.variants.map((variant) => [variant.variant_id, {}]));
  const setMetric = (variantId: string, metric: MetricName, result: MetricResult): void => {
    const record = metrics.get(variantId);
    if (record) record[metric] = result;
  };
  const controlAggregate = byVariant.get(control.variant_id) ?? emptyAggregate(control.variant_id);
  for (const metric of RATE_METRICS) {
    const definition = RATE_DEFINITIONS[metric];
    if (experiment.variants.some((variant) => definition.successes(byVariant.get(variant.variant_id) ?? emptyAggregate(variant.variant_id)) === undefined)) continue;
    for (const variant of experiment.variants) {
      const aggregate = byVariant.get(variant.variant_id) ?? emptyAggregate(variant.variant_id);
      const successes = definition.successes(aggregate) ?? 0;
      const trials = definition.trials(aggregate);
      if (successes > trials) warnings.push({ code: 'invalid_counts', message: `${metric} of ${variant.variant_id}: ${successes} successes out of ${trials}` });
      setMetric(variant.variant_id, metric, { value: trials > 0 ? successes / trials : null, vs_control: null });
    }
    const comparisons = treatments.map((variant) =>
      compareRates(definition, controlAggregate, byVariant.get(variant.variant_id) ?? emptyAggregate(variant.variant_id), experiment),
    );
    finishComparisons(metric, treatments, comparisons, metrics, alpha, insufficientSample);
  }
  const hasDurations = experiment.variants.every((variant) => byVariant.get(variant.variant_id)?.duration !== undefined);
  if (hasDurations) {
    for (const variant of experiment.variants) {
      const summary = summarizeMoments(byVariant.get(variant.variant_id)?.duration ?? { count: 0, sum: 0, sum_of_squares: 0 });
      setMetric(variant.variant_id, 'mean_duration', { value: summary.count > 0 ? summary.mean : null, vs_control: null });
    }
    const comparisons = treatments.map((variant) => compareMeans(controlAggregate, byVariant.get(variant.variant_id) ?? emptyAggregate(variant.variant_id), experiment));
    finishComparisons('mean_duration', treatments, comparisons, metrics, alpha, insufficientSample);
  }

  const impressionsPerUser = experiment.variants.map((variant) => {
    const aggregate = byVariant.get(variant.variant_id);
    return aggregate && aggregate.users > 0 ? aggregate.impressions / aggregate.users : 0;
  });
  if (impressionsPerUser.some((ratio) => ratio > 1)) {
    warnings.push({
      code: 'impressions_not_independent',
      message: `users saw up to ${Math.max(...impressionsPerUser).toFixed(1)} impressions on average: ctr and conversion_rate treat them as independent, so their p-values are too small; decide on user-level metrics`,
    });
  }

  const sampleRatio = sampleRatioMismatch(
    experiment.variants.map((variant) => byVariant.get(variant.variant_id)?.users ?? 0),
    experiment.variants.map((variant) => variant.traffic_percent),
  );
  if (sampleRatio.mismatch) {
    warnings.push({
      code: 'sample_ratio_mismatch',
      message: `users per variant do not match the configured split (chi² = ${sampleRatio.chi_square.toFixed(1)}, p = ${sampleRatio.p_value.toExponential(2)}): assignment or logging is broken, do not trust these results`,
    });
  }

  return {
    experiment_id: experiment.experiment_id,
    confidence_level: experiment.confidence_level,
    alpha,
    control_variant_id: control.variant_id,
    variants: experiment.variants.map((variant) => {
      const aggregate = byVariant.get(variant.variant_id) ?? emptyAggregate(variant.variant_id);
      return {
        variant_id: variant.variant_id,
        name: variant.name,
        is_control: variant === control,
        traffic_percent: variant.traffic_percent,
        users: aggregate.users,
        impressions: aggregate.impressions,
        clicks: aggregate.clicks,
        conversions: aggregate.conversions,
        metrics: metrics.get(variant.variant_id) ?? {},
      };
    }),
    sample_ratio: sampleRatio,
    insufficient_sample: insufficientSample,
    sample_size: estimateSampleSize(experiment, byVariant, controlAggregate, alpha, options),
    warnings,
  };
}

/** The variant marked as control; without one, the first variant (and a warning). */
function controlOf(variants: readonly ExperimentVariant[], warnings: ResultWarning[]): ExperimentVariant {
  if (variants.length < 2) throw new RangeError('an experiment needs at least two variants');
  const control = variants.find((variant) => variant.is_control);
  if (control) return control;
  warnings.push({ code: 'no_control', message: `no variant is marked as control: comparing against the first, ${variants[0].variant_id}` });
  return variants[0];
}

function aggregatesByVariant(variants: readonly ExperimentVariant[], aggregates: readonly VariantAggregate[], warnings: ResultWarning[]): Map<string, VariantAggregate> {
  const known = new Set(variants.map((variant) => variant.variant_id));
  const byVariant = new Map<string, VariantAggregate>();
  for (const aggregate of aggregates) {
    if (known.has(aggregate.variant_id)) byVariant.set(aggregate.variant_id, aggregate);
    // Held-out users are outside every comparison by design.
    else if (aggregate.variant_id !== HOLDOUT_GROUP) warnings.push({ code: 'unknown_variant', message: `events of group ${aggregate.variant_id}, which is no variant of this experiment, are left out` });
  }
  return byVariant;
}

function emptyAggregate(variantId: string): VariantAggregate {
  return { variant_id: variantId, users: 0, impressions: 0, clicks: 0, conversions: 0 };
}

type UnadjustedComparison = Omit<MetricComparison, 'adjusted_p_value' | 'significant'>;

function compareRates(definition: RateDefinition, control: VariantAggregate, variant: VariantAggregate, experiment: ResultsExperiment): UnadjustedComparison | null {
  const controlSample = { successes: definition.successes(control) ?? 0, trials: definition.trials(control) };
  const variantSample = { successes: definition.successes(variant) ?? 0, trials: definition.trials(variant) };
  const valid = (sample: { successes: number; trials: number }) => sample.trials > 0 && sample.successes >= 0 && sample.successes <= sample.trials;
  if (!valid(controlSample) || !valid(variantSample)) return null;
  const test = twoProportionZTest(controlSample, variantSample, experiment.confidence_level);
  return {
    test: 'two_proportion_z',
    absolute_lift: test.absolute_lift,
    absolute_lift_interval: test.absolute_lift_interval,
    relative_lift: test.relative_lift,
    relative_lift_interval: test.relative_lift_interval,
    statistic: test.z,
    degrees_of_freedom: null,
    p_value: test.p_value,
    insufficient_sample:
      !hasMinimumSample([control.users, variant.users], experiment.min_sample_size) ||
      !normalApproximationHolds(controlSample) ||
      !normalApproximationHolds(variantSample),
  };
}

function compareMeans(control: VariantAggregate, variant: VariantAggregate, experiment: ResultsExperiment): UnadjustedComparison | null {
  if (!control.duration || !variant.duration) return null;
  const controlSummary = summarizeMoments(control.duration);
  const variantSummary = summarizeMoments(variant.duration);
  if (controlSummary.count < 2 || variantSummary.count < 2) return null;
  const test = welchTTest(controlSummary, variantSummary, experiment.confidence_level);
  return {
    test: 'welch_t',
    absolute_lift: test.absolute_lift,
    absolute_lift_interval: test.absolute_lift_interval,
    relative_lift: test.relative_lift,
    relative_lift_interval: test.relative_lift_interval,
    statistic: test.t,
    degrees_of_freedom: test.degrees_of_freedom,
    p_value: test.p_value,
    insufficient_sample: !hasMinimumSample([control.users, variant.users], experiment.min_sample_size),
  };
}

/** Holm-adjusts one metric's comparisons across the variants and stores them on the variants' results. */
function finishComparisons(
  metric: MetricName,
  treatments: readonly ExperimentVariant[],
  comparisons: ReadonlyArray<UnadjustedComparison | null>,
  metrics: Map<string, Partial<Record<MetricName, MetricResult>>>,
  alpha: number,
  insufficientSample: boolean,
): void {
  const adjusted = holmAdjust(comparisons.map((comparison) => comparison?.p_value ?? Number.NaN));
  treatments.forEach((variant, i) => {
    const comparison = comparisons[i];
    const result = metrics.get(variant.variant_id)?.[metric];
    if (!comparison || !result) return;
    const insufficient = comparison.insufficient_sample || insufficientSample;
    result.vs_control = { ...comparison, insufficient_sample: insufficient, adjusted_p_value: adjusted[i], significant: adjusted[i] < alpha && !insufficient };
  });
}

function estimateSampleSize(
  experiment: ResultsExperiment,
  byVariant: ReadonlyMap<string, VariantAggregate>,
  control: VariantAggregate,
  alpha: number,
  options: ExperimentResultsOptions,
): SampleSizeEstimate | null {
  const metric = options.primary_metric ?? 'ctr';
  const definition = RATE_DEFINITIONS[metric];
  const effect = options.minimum_detectable_effect ?? DEFAULT_MINIMUM_DETECTABLE_EFFECT;
  const power = options.power ?? 0.8;
  const successes = definition.successes(control);
  const trials = definition.trials(control);
  if (successes === undefined || !(trials > 0)) return null;
  const baseline = successes / trials;
  const target = targetRate(baseline, effect);
  if (!(baseline > 0 && baseline < 1) || !(target > 0 && target < 1)) return null;
  const perVariant = sampleSizePerArm({ baseline_rate: baseline, minimum_detectable_effect: effect, alpha, power });
  const smallest = Math.min(...experiment.variants.map((variant) => definition.trials(byVariant.get(variant.variant_id) ?? emptyAggregate(variant.variant_id))));
  return {
    metric,
    unit: definition.unit,
    baseline_rate: baseline,
    minimum_detectable_effect: effect,
    alpha,
    power,
    per_variant: perVariant,
    progress: Math.min(1, smallest / perVariant),
  };
}
