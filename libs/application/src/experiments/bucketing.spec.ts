import { chiSquareSf, sampleRatioMismatch } from './statistics';
import {
  BUCKET_COUNT,
  HOLDOUT_GROUP,
  assignToExperiment,
  assignToExperiments,
  bucketOf,
  experimentGroup,
  layerBucket,
  overlappingSlices,
  type AssignableExperiment,
  type ExperimentAssignment,
} from './bucketing';
import { murmur3 } from './murmur3';
import { meetsTargeting } from './targeting';

const USERS = Array.from({ length: 10_000 }, (_, i) => ({ user_id: `user-${i}`, attributes: {} }));

function anExperiment(overrides: Partial<AssignableExperiment> = {}): AssignableExperiment {
  return {
    experiment_id: 'exp-1',
    status: 'running',
    layer: 'default',
    variants: [
      { variant_id: 'control', name: 'Control', traffic_percent: 50, is_control: true, config_overrides: {} },
      { variant_id: 'b', name: 'B', traffic_percent: 50, is_control: false, config_overrides: { recall: { total_limit: 300 } } },
    ],
    ...overrides,
  };
}

function groupOf(assignment: ExperimentAssignment): string {
  return assignment.outcome === 'excluded' ? `excluded:${assignment.reason}` : (experimentGroup(assignment) ?? 'none');
}

function countGroups(experiment: AssignableExperiment, users = USERS): Map<string, number> {
  const counts = new Map<string, number>();
  for (const user of users) {
    const group = groupOf(assignToExperiment(experiment, user));
    counts.set(group, (counts.get(group) ?? 0) + 1);
  }
  return counts;
}

/** p-value of Pearson's chi-square test of independence of two assignments over the same users. */
function independenceP(first: (user: (typeof USERS)[number]) => string, second: (user: (typeof USERS)[number]) => string): number {
  const table = new Map<string, Map<string, number>>();
  const rowTotals = new Map<string, number>();
  const columnTotals = new Map<string, number>();
  for (const user of USERS) {
    const row = first(user);
    const column = second(user);
    const cells = table.get(row) ?? new Map<string, number>();
    cells.set(column, (cells.get(column) ?? 0) + 1);
    table.set(row, cells);
    rowTotals.set(row, (rowTotals.get(row) ?? 0) + 1);
    columnTotals.set(column, (columnTotals.get(column) ?? 0) + 1);
  }
  let chiSquare = 0;
  for (const [row, rowTotal] of rowTotals) {
    for (const [column, columnTotal] of columnTotals) {
      const expected = (rowTotal * columnTotal) / USERS.length;
      const observed = table.get(row)?.get(column) ?? 0;
      chiSquare += (observed - expected) ** 2 / expected;
    }
  }
  return chiSquareSf(chiSquare, (rowTotals.size - 1) * (columnTotals.size - 1));
}

/** Straightforward byte-array version of the same algorithm, to check the on-the-fly UTF-8 encoding. */
function murmur3Reference(value: string): number {
  const bytes = Buffer.from(value, 'utf8');
  let h = 0;
  const scramble = (k: number) => Math.imul(rotate(Math.imul(k, 0xcc9e2d51), 15), 0x1b873593);
  const rotate = (x: number, r: number) => (x << r) | (x >>> (32 - r));
  let i = 0;
  for (; i + 4 <= bytes.length; i += 4) h = (Math.imul(rotate(h ^ scramble(bytes.readUInt32LE(i)), 13), 5) + 0xe6546b64) | 0;
  let tail = 0;
  for (let j = bytes.length - 1; j >= i; j--) tail = (tail << 8) | bytes[j];
  if (bytes.length > i) h ^= scramble(tail);
  h ^= bytes.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

describe('murmur3', () => {
  it.each([
    ['', 0, 0x00000000],
    ['', 1, 0x514e28b7],
    ['a', 0, 0x3c2569b2],
    ['abc', 0, 0xb3dd93fa],
    ['abcd', 0, 0x43ed676a],
    ['hello', 0, 0x248bfa47],
    ['The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
    ['abcd', 42, 0xe860e5cc],
  ])('murmur3(%p, seed %p) is the reference MurmurHash3_x86_32', (value, seed, expected) => {
    expect(murmur3(value, seed)).toBe(expected);
  });

  it('hashes the UTF-8 bytes, as ClickHouse and mmh3 do', () => {
    // Reference: imurmurhash (byte-wise) over the UTF-8 bytes written as Latin-1 characters.
    expect(murmur3('é')).toBe(0x10110787);
    expect(murmur3('héllo ✓')).toBe(0x763a420a);
    expect(murmur3('😀 ok')).toBe(murmur3Reference('😀 ok'));
    expect(murmur3('lone \ud800 surrogate')).toBe(murmur3Reference('lone \ud800 surrogate'));
  });
});

describe('bucketing', () => {
  it('gives each user one stable bucket in [0, 10000)', () => {
    const bucket = layerBucket('default', 'user-42');
    expect(layerBucket('default', 'user-42')).toBe(bucket);
    expect(bucket).toBeGreaterThanOrEqual(0);
    expect(bucket).toBeLessThan(BUCKET_COUNT);
    expect(bucketOf('a', 'bc')).not.toBe(bucketOf('ab', 'c'));
  });

  it('spreads users evenly over the buckets', () => {
    const perDecile = new Array<number>(10).fill(0);
    for (const user of USERS) perDecile[Math.floor(layerBucket('default', user.user_id) / 1000)]++;
    expect(sampleRatioMismatch(perDecile, new Array<number>(10).fill(1)).p_value).toBeGreaterThan(0.001);
  });

  it('is deterministic for a user and follows the traffic split', () => {
    const experiment = anExperiment({
      variants: [
        { variant_id: 'control', name: 'Control', traffic_percent: 20, is_control: true, config_overrides: {} },
        { variant_id: 'b', name: 'B', traffic_percent: 30, is_control: false, config_overrides: {} },
        { variant_id: 'c', name: 'C', traffic_percent: 50, is_control: false, config_overrides: {} },
      ],
    });
    expect(assignToExperiment(experiment, USERS[7])).toEqual(assignToExperiment(experiment, USERS[7]));
    const counts = countGroups(experiment);
    const check = sampleRatioMismatch(['control', 'b', 'c'].map((group) => counts.get(group) ?? 0), [20, 30, 50]);
    expect(check.mismatch).toBe(false);
    expect(check.observed_shares[2]).toBeCloseTo(0.5, 1);
  });

  it('serves the variant its config overrides', () => {
    const assignment = assignToExperiment(anExperiment({ variants: [{ variant_id: 'b', name: 'B', traffic_percent: 100, is_control: false, config_overrides: { x: 1 } }] }), USERS[0]);
    expect(assignment).toEqual({ outcome: 'variant', experiment_id: 'exp-1', layer: 'default', variant_id: 'b', is_control: false, config_overrides: { x: 1 } });
  });

  it('holds out the configured share and splits the rest by traffic_percent', () => {
    const counts = countGroups(anExperiment({ holdout_percent: 10 }));
    const check = sampleRatioMismatch([HOLDOUT_GROUP, 'control', 'b'].map((group) => counts.get(group) ?? 0), [10, 45, 45]);
    expect(check.mismatch).toBe(false);
  });

  it('assigns only running experiments and never to 0% variants', () => {
    expect(assignToExperiment(anExperiment({ status: 'paused' }), USERS[0])).toMatchObject({ outcome: 'excluded', reason: 'not_running' });
    const counts = countGroups(
      anExperiment({
        variants: [
          { variant_id: 'control', name: 'Control', traffic_percent: 100, is_control: true, config_overrides: {} },
          { variant_id: 'b', name: 'B', traffic_percent: 0, is_control: false, config_overrides: {} },
        ],
      }),
    );
    expect(counts.get('b')).toBeUndefined();
  });

  it('makes experiments in different layers independent', () => {
    const ranking = anExperiment({ experiment_id: 'ranking-exp', layer: 'ranking' });
    const recall = anExperiment({ experiment_id: 'recall-exp', layer: 'recall' });
    expect(independenceP((user) => groupOf(assignToExperiment(ranking, user)), (user) => groupOf(assignToExperiment(recall, user)))).toBeGreaterThan(0.001);
  });

  it('keeps experiments on disjoint slices of one layer exclusive, and covers each slice', () => {
    const first = anExperiment({ experiment_id: 'first', layer_slice: { from_percent: 0, to_percent: 30 } });
    const second = anExperiment({ experiment_id: 'second', layer_slice: { from_percent: 30, to_percent: 100 } });
    let inFirst = 0;
    let inBoth = 0;
    let inNeither = 0;
    for (const user of USERS) {
      const a = assignToExperiment(first, user).outcome !== 'excluded';
      const b = assignToExperiment(second, user).outcome !== 'excluded';
      if (a) inFirst++;
      if (a && b) inBoth++;
      if (!a && !b) inNeither++;
    }
    expect(inBoth).toBe(0);
    expect(inNeither).toBe(0);
    expect(sampleRatioMismatch([inFirst, USERS.length - inFirst], [30, 70]).mismatch).toBe(false);
    expect(overlappingSlices([first, second])).toEqual([]);
  });

  it('does not tie variants of experiments sharing a slice of a layer to each other', () => {
    const first = anExperiment({ experiment_id: 'first' });
    const second = anExperiment({ experiment_id: 'second' });
    expect(independenceP((user) => groupOf(assignToExperiment(first, user)), (user) => groupOf(assignToExperiment(second, user)))).toBeGreaterThan(0.001);
    expect(overlappingSlices([first, second, anExperiment({ experiment_id: 'elsewhere', layer: 'other' })])).toEqual([['first', 'second']]);
  });

  it('gives a user at most one experiment per layer', () => {
    const experiments = [
      anExperiment({ experiment_id: 'b-exp' }),
      anExperiment({ experiment_id: 'a-exp' }),
      anExperiment({ experiment_id: 'ranking-exp', layer: 'ranking' }),
      anExperiment({ experiment_id: 'draft-exp', layer: 'recall', status: 'draft' }),
    ];
    const assignments = assignToExperiments(experiments, USERS[3]);
    expect(assignments.map((assignment) => assignment.experiment_id)).toEqual(['a-exp', 'ranking-exp']);
  });
});

describe('targeting', () => {
  const conditions = [
    { field: 'country', op: 'in' as const, value: ['DE', 'AT'] },
    { field: 'plan.tier', op: 'eq' as const, value: 'pro' },
  ];

  it('needs every condition over the user attributes', () => {
    expect(meetsTargeting({ country: 'DE', plan: { tier: 'pro' } }, conditions)).toBe(true);
    expect(meetsTargeting({ country: 'FR', plan: { tier: 'pro' } }, conditions)).toBe(false);
    expect(meetsTargeting({ country: 'DE' }, conditions)).toBe(false);
    expect(meetsTargeting({}, [])).toBe(true);
  });

  it('reads attributes named like item fields from the attributes', () => {
    expect(meetsTargeting({ status: 'vip' }, [{ field: 'status', op: 'eq', value: 'vip' }])).toBe(true);
    expect(meetsTargeting({}, [{ field: 'status', op: 'eq', value: 'active' }])).toBe(false);
  });

  it('excludes users outside the target before any bucketing', () => {
    const experiment = anExperiment({ targeting: [{ field: 'country', op: 'eq', value: 'DE' }] });
    expect(assignToExperiment(experiment, { user_id: 'u1', attributes: { country: 'FR' } })).toMatchObject({ outcome: 'excluded', reason: 'not_targeted' });
    expect(assignToExperiment(experiment, { user_id: 'u1', attributes: { country: 'DE' } }).outcome).toBe('variant');
  });
});
