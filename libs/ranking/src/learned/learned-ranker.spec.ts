import { LearnedRanker } from './learned-ranker';
import { plantedSignalData } from './planted-signal.fixture';
import { loadTensorflow } from './tensorflow-backend';
import { trainRanker, type RankerMetrics } from './train-ranker';

/** Only the fields the planted signal lives in, with small tables: a few seconds of training. */
const OPTIONS = {
  kind: 'deepfm' as const,
  fields: ['user_id', 'item_id', 'item_category'] as const,
  buckets: { user_id: 4096, item_id: 1024, item_category: 8 },
  fit: { epochs: 2 },
  data: { unknownUserRate: 0 },
  version: 'v-test',
};

describe('trainRanker on a planted user-group × category signal', () => {
  let ranker: LearnedRanker;
  let metrics: RankerMetrics;

  beforeAll(async () => {
    const { events, items } = plantedSignalData({ users: 120, impressionsPerUser: 24 });
    ({ ranker, metrics } = await trainRanker(events, items, OPTIONS));
  }, 60_000);

  afterAll(() => ranker?.dispose());

  it('DeepFM learns the interaction the logistic-regression baseline cannot express', () => {
    expect(metrics.baseline_auc).toBeLessThan(0.65);
    expect(metrics.auc).toBeGreaterThan(metrics.baseline_auc + 0.15);
    expect(ranker.metrics).toMatchObject({ auc: metrics.auc, baseline_auc: metrics.baseline_auc });
    expect(ranker.kind).toBe('deepfm');
    expect(ranker.version).toBe('v-test');
  });

  it('scores a request’s candidates in input order, preferring the user’s group', () => {
    const items = Array.from({ length: 8 }, (_, i) => ({ itemId: `item-${i}`, category: i % 2 === 0 ? 'x' : 'y' }));
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    // Even users are in group A (clicks "x" items, the even ones), odd users in group B.
    const agreeing = Array.from({ length: 20 }, (_, u) => {
      const scores = ranker.score({ userId: `user-${u}`, now: Date.UTC(2026, 0, 1) }, items);
      expect(scores).toHaveLength(items.length);
      const preference = mean(scores.filter((_, i) => i % 2 === 0)) - mean(scores.filter((_, i) => i % 2 === 1));
      return u % 2 === 0 ? preference > 0 : preference < 0;
    }).filter(Boolean).length;
    expect(agreeing).toBeGreaterThanOrEqual(18);
    expect(ranker.score({ userId: 'user-0', now: 0 }, [])).toEqual([]);
  });

  it('round-trips through serialize() and load() with identical scores and header', async () => {
    const bytes = ranker.serialize();
    const loaded = await LearnedRanker.load(bytes);
    try {
      const request = { userId: 'user-7', now: Date.UTC(2026, 0, 1), deviceType: 'mobile' };
      const items = Array.from({ length: 10 }, (_, i) => ({ itemId: `item-${i}`, category: i % 2 ? 'y' : 'x' }));
      expect(loaded.score(request, items)).toEqual(ranker.score(request, items));
      expect(loaded.header).toEqual(ranker.header);
      // Buffer.equals, not toEqual: Jest's element-wise diff of 200 kB takes seconds.
      expect(Buffer.from(loaded.serialize()).equals(Buffer.from(bytes))).toBe(true);
    } finally {
      loaded.dispose();
    }
  });

  it('refuses bytes that are not an artifact or are truncated', async () => {
    const bytes = ranker.serialize();
    await expect(LearnedRanker.load(new TextEncoder().encode('{"not":"a model"}'))).rejects.toThrow(/not a learned ranker artifact/);
    await expect(LearnedRanker.load(bytes.subarray(0, bytes.length - 4))).rejects.toThrow(/truncated/);
  });

  it('leaves no tensors behind when scoring', async () => {
    const { tf } = await loadTensorflow();
    const items = Array.from({ length: 50 }, (_, i) => ({ itemId: `item-${i}`, category: 'x' }));
    ranker.score({ userId: 'user-1', now: 0 }, items);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) ranker.score({ userId: 'user-1', now: 0 }, items);
    expect(tf.memory().numTensors).toBe(before);
  });
});
