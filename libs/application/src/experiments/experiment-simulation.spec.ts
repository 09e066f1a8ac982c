import { assignToExperiment, type AssignableExperiment } from './bucketing';
import { computeExperimentResults, type ExperimentResults, type VariantAggregate } from './experiment-results';
import { SRM_P_VALUE_THRESHOLD, sampleSizePerArm } from './statistics';

/*
 * The statistics tested the way they will be used: synthetic users, seeded
 * randomness, the real bucketing and the real results table. Repeated runs
 * simulate counts with exact binomial draws instead of per-impression loops,
 * so a thousand experiments take a fraction of a second.
 */

// Local aliases: global lookups are slow inside Jest's sandbox.
const imul = Math.imul;
const log = Math.log;
const floor = Math.floor;

/** mulberry32: small, fast, well-distributed 32-bit PRNG; a seed fixes the whole run. */
function seededRandom(seed: number): { uint32: () => number; uniform: () => number } {
  let state = seed >>> 0;
  const uint32 = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = imul(state ^ (state >>> 15), 1 | state);
    t = (t + imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  // (0, 1): never 0, so log(u) is finite.
  return { uint32, uniform: () => (uint32() + 0.5) / 4294967296 };
}

type Random = ReturnType<typeof seededRandom>;

/**
 * Exact Binomial(n, p) draw. p = ½ counts set bits of random words; other p
 * skip from success to success with geometric gaps (about n·p steps).
 */
function binomial(random: Random, n: number, p: number): number {
  if (p === 0.5) {
    let successes = 0;
    for (let remaining = n; remaining > 0; remaining -= 32) {
      let word = random.uint32();
      if (remaining < 32) word &= (1 << remaining) - 1;
      for (; word !== 0; word &= word - 1) successes++;
    }
    return successes;
  }
  if (p > 0.5) return n - binomial(random, n, 1 - p);
  const logFailure = log(1 - p);
  let successes = 0;
  for (let position = floor(log(random.uniform()) / logFailure); position < n; position += 1 + floor(log(random.uniform()) / logFailure)) successes++;
  return successes;
}

const BASELINE_CTR = 0.1;
const IMPROVED_CTR = 0.12;

function twoArmExperiment(overrides: Partial<AssignableExperiment> = {}): AssignableExperiment & { min_sample_size: number; confidence_level: number } {
  return {
    experiment_id: 'ctr-test',
    status: 'running',
    layer: 'ranking',
    variants: [
      { variant_id: 'control', name: 'Control', traffic_percent: 50, is_control: true, config_overrides: {} },
      { variant_id: 'b', name: 'B', traffic_percent: 50, is_control: false, config_overrides: {} },
    ],
    min_sample_size: 1000,
    confidence_level: 0.95,
    ...overrides,
  };
}

/** Counts of one arm in which every user saw one impression and clicked with probability `ctr`. */
function armOf(variantId: string, users: number, clicks: number): VariantAggregate {
  return { variant_id: variantId, users, impressions: users, clicks, conversions: 0, clicking_users: clicks };
}

/**
 * Users one by one: the real hash assigns each, each sees one impression and
 * clicks with their variant's probability; `exposureLoss` drops that share of
 * a variant's users before their impression is logged (a broken arm).
 */
function simulateUsers(
  experiment: AssignableExperiment & { min_sample_size: number; confidence_level: number },
  userCount: number,
  ctrOf: Record<string, number>,
  seed: number,
  exposureLoss: Record<string, number> = {},
): ExperimentResults {
  const random = seededRandom(seed);
  const arms = new Map(experiment.variants.map((variant) => [variant.variant_id, { users: 0, clicks: 0 }]));
  for (let i = 0; i < userCount; i++) {
    const assignment = assignToExperiment(experiment, { user_id: `sim-${seed}-${i}`, attributes: {} });
    if (assignment.outcome !== 'variant') continue;
    if (random.uniform() < (exposureLoss[assignment.variant_id] ?? 0)) continue;
    const arm = arms.get(assignment.variant_id)!;
    arm.users++;
    if (random.uniform() < ctrOf[assignment.variant_id]) arm.clicks++;
  }
  return computeExperimentResults(
    experiment,
    [...arms].map(([variantId, arm]) => armOf(variantId, arm.users, arm.clicks)),
  );
}

describe('experiment statistics in simulation', () => {
  const design = { baseline_rate: BASELINE_CTR, minimum_detectable_effect: { kind: 'absolute', value: IMPROVED_CTR - BASELINE_CTR } } as const;

  it('detects a real 10% → 12% CTR lift with users bucketed by the real hash', () => {
    // Planned for 95% power, so one fixed-seed run is a fair test (the 80% plan is checked over many runs below).
    const perArm = sampleSizePerArm({ ...design, power: 0.95 });
    const results = simulateUsers(twoArmExperiment(), 2 * perArm, { control: BASELINE_CTR, b: IMPROVED_CTR }, 20_261_129);
    const b = results.variants[1];
    expect(results.sample_ratio.mismatch).toBe(false);
    expect(results.insufficient_sample).toBe(false);
    expect(b.metrics.ctr?.vs_control?.p_value).toBeLessThan(0.05);
    expect(b.metrics.ctr?.vs_control?.significant).toBe(true);
    const interval = b.metrics.ctr?.vs_control?.absolute_lift_interval;
    expect(interval?.lower).toBeLessThan(IMPROVED_CTR - BASELINE_CTR);
    expect(interval?.upper).toBeGreaterThan(IMPROVED_CTR - BASELINE_CTR);
  });

  it('reaches about the planned 80% power at the planned sample size', () => {
    const perArm = sampleSizePerArm(design);
    expect(perArm).toBe(3841);
    const random = seededRandom(7);
    const runs = 200;
    let detected = 0;
    let intervalCoversTruth = 0;
    for (let run = 0; run < runs; run++) {
      const results = computeExperimentResults(twoArmExperiment(), [
        armOf('control', perArm, binomial(random, perArm, BASELINE_CTR)),
        armOf('b', perArm, binomial(random, perArm, IMPROVED_CTR)),
      ]);
      const comparison = results.variants[1].metrics.ctr?.vs_control;
      if (comparison?.significant && comparison.absolute_lift > 0) detected++;
      const interval = comparison?.absolute_lift_interval;
      if (interval && interval.lower <= IMPROVED_CTR - BASELINE_CTR && IMPROVED_CTR - BASELINE_CTR <= interval.upper) intervalCoversTruth++;
    }
    // 80% ± 3.5 standard errors (√(0.8·0.2/200) = 2.8%).
    expect(detected / runs).toBeGreaterThanOrEqual(0.7);
    expect(detected / runs).toBeLessThanOrEqual(0.9);
    // The 95% interval holds the true lift in ~95% of runs (standard error 1.5%).
    expect(intervalCoversTruth / runs).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps false positives near 5% and the SRM alarm quiet when the variants are identical', () => {
    const usersPerRun = 2 * sampleSizePerArm(design);
    const random = seededRandom(42);
    const runs = 1000;
    let falsePositives = 0;
    let userLevelFalsePositives = 0;
    let srmAlarms = 0;
    for (let run = 0; run < runs; run++) {
      // A/A: the split itself is random, as hashing makes it; both arms click at the same rate.
      const controlUsers = binomial(random, usersPerRun, 0.5);
      const controlClicks = binomial(random, controlUsers, BASELINE_CTR);
      const bClicks = binomial(random, usersPerRun - controlUsers, BASELINE_CTR);
      const results = computeExperimentResults(twoArmExperiment(), [armOf('control', controlUsers, controlClicks), armOf('b', usersPerRun - controlUsers, bClicks)]);
      if (results.variants[1].metrics.ctr?.vs_control?.significant) falsePositives++;
      if (results.variants[1].metrics.user_click_rate?.vs_control?.significant) userLevelFalsePositives++;
      if (results.sample_ratio.mismatch) srmAlarms++;
    }
    // 5% ± 2 points is ± 2.9 standard errors of a rate over 1,000 runs.
    expect(falsePositives / runs).toBeGreaterThanOrEqual(0.03);
    expect(falsePositives / runs).toBeLessThanOrEqual(0.07);
    expect(userLevelFalsePositives).toBe(falsePositives);
    // Expected 1 alarm in 1,000 at p < 0.001; more than 5 has probability ~0.06%.
    expect(SRM_P_VALUE_THRESHOLD).toBe(0.001);
    expect(srmAlarms).toBeLessThanOrEqual(5);
  });

  it('fires the SRM alarm when one arm loses users before they are logged', () => {
    const experiment = twoArmExperiment();
    const healthy = simulateUsers(experiment, 10_000, { control: BASELINE_CTR, b: BASELINE_CTR }, 99);
    expect(healthy.sample_ratio.mismatch).toBe(false);
    // B's page crashes for 10% of its users before the impression is logged.
    const broken = simulateUsers(experiment, 10_000, { control: BASELINE_CTR, b: BASELINE_CTR }, 99, { b: 0.1 });
    expect(broken.sample_ratio.mismatch).toBe(true);
    expect(broken.warnings.map((warning) => warning.code)).toContain('sample_ratio_mismatch');
  });

  it('fires the SRM alarm when serving uses a different split than the one analysed', () => {
    const served = twoArmExperiment({
      variants: [
        { variant_id: 'control', name: 'Control', traffic_percent: 53, is_control: true, config_overrides: {} },
        { variant_id: 'b', name: 'B', traffic_percent: 47, is_control: false, config_overrides: {} },
      ],
    });
    const users = simulateUsers(served, 10_000, { control: BASELINE_CTR, b: BASELINE_CTR }, 5);
    const analysedAsFiftyFifty = computeExperimentResults(twoArmExperiment(), users.variants.map((row) => armOf(row.variant_id, row.users, row.clicks)));
    expect(analysedAsFiftyFifty.sample_ratio.mismatch).toBe(true);
  });
});
