import type { BehaviorEvent } from '@lemo/domain';
import { behaviorEvent, eventSequence, FakeEventStore, RecordingFeatureStore } from '../../testing';
import { ItemSimilarityBuilder } from './item-similarity.builder';
import { WATERMARK_ITEM_ID } from './neighbour-watermark';

const HOUR = 3_600_000;

/** Deterministic LCG so planted-structure data is the same on every run. */
function rng(seed: number): () => number {
  let state = seed;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function setup(events: BehaviorEvent[]) {
  const store = new RecordingFeatureStore();
  return { store, builder: new ItemSimilarityBuilder(new FakeEventStore(events), store) };
}

describe('ItemSimilarityBuilder', () => {
  it('recovers two planted clusters: two user groups each liking their own item group', async () => {
    const random = rng(42);
    const events: BehaviorEvent[] = [];
    let t = 1_000;
    for (const group of ['a', 'b']) {
      for (let u = 0; u < 50; u++) {
        const liked = new Set<number>();
        while (liked.size < 5) liked.add(Math.floor(random() * 10));
        for (const i of liked) events.push(behaviorEvent(`${group}-user${u}`, `${group}${i}`, random() < 0.5 ? 'click' : 'like', t++));
        // One stray cross-cluster click per user: noise the shrinkage must outweigh.
        events.push(behaviorEvent(`${group}-user${u}`, `${group === 'a' ? 'b' : 'a'}${Math.floor(random() * 10)}`, 'click', t++));
      }
    }
    const { store, builder } = setup(events);

    const result = await builder.build('t1', 's1', { topK: 5 });

    expect(result.items).toBe(20);
    expect(result.pairs).toBe(100);
    let inCluster = 0;
    for (const group of ['a', 'b']) {
      for (let i = 0; i < 10; i++) {
        const list = store.listOf(`${group}${i}`)!;
        expect(list).toHaveLength(5);
        // The strongest neighbours are always in-cluster; noise may reach the tail only.
        expect(list.slice(0, 3).every((n) => n.item_id.startsWith(group))).toBe(true);
        inCluster += list.filter((n) => n.item_id.startsWith(group)).length;
        expect(list.map((n) => n.item_id)).not.toContain(`${group}${i}`);
        for (let k = 1; k < list.length; k++) expect(list[k - 1].score).toBeGreaterThanOrEqual(list[k].score);
      }
    }
    expect(inCluster / 100).toBeGreaterThanOrEqual(0.95);
  });

  it('computes weighted cosine with shrinkage: co-occurrence / (sqrt(n_i n_j) + shrinkage)', async () => {
    // Every entry has weight w = ln(1 + 3) (one like), so n_x = 2w², n_y = n_z = w².
    const events = eventSequence([
      ['u1', 'x', 'like'],
      ['u1', 'y', 'like'],
      ['u2', 'x', 'like'],
      ['u2', 'z', 'like'],
    ]);
    const w2 = Math.log1p(3) ** 2;

    const plain = setup(events);
    await plain.builder.build('t1', 's1', { shrinkage: 0 });
    expect(plain.store.listOf('y')).toEqual([{ item_id: 'x', score: expect.closeTo(1 / Math.SQRT2, 10) }]);
    expect(plain.store.listOf('x')!.map((n) => n.score)).toEqual([expect.closeTo(1 / Math.SQRT2, 10), expect.closeTo(1 / Math.SQRT2, 10)]);

    const shrunk = setup(events);
    await shrunk.builder.build('t1', 's1', { shrinkage: 2 });
    expect(shrunk.store.listOf('y')![0].score).toBeCloseTo(w2 / (Math.SQRT2 * w2 + 2), 6);
  });

  it('sums a user’s actions on an item before the log, so stronger engagement counts more', async () => {
    // u1 bought x and y (heavy), u2 clicked x and z once: x's best neighbour is y.
    const events = eventSequence([
      ['u1', 'x', 'purchase'],
      ['u1', 'y', 'purchase'],
      ['u1', 'y', 'like'],
      ['u2', 'x', 'click'],
      ['u2', 'z', 'click'],
    ]);
    const { store, builder } = setup(events);
    await builder.build('t1', 's1', { shrinkage: 1 });
    expect(store.listOf('x')!.map((n) => n.item_id)).toEqual(['y', 'z']);
  });

  it('ignores negative and zero-weight actions unless the scenario gives them a positive weight', async () => {
    const events = eventSequence([
      ['u1', 'x', 'like'],
      ['u1', 'y', 'dislike'],
      ['u1', 'z', 'impression'],
      ['u1', 'q', 'not_interest'],
    ]);
    const defaults = setup(events);
    const result = await defaults.builder.build('t1', 's1');
    expect(result).toMatchObject({ items: 1, pairs: 0 });
    expect(defaults.store.listOf('x')).toEqual([]);

    const overridden = setup(events);
    await overridden.builder.build('t1', 's1', { actionWeights: { impression: 1 } });
    expect(overridden.store.listOf('x')!.map((n) => n.item_id)).toEqual(['z']);
  });

  it('keeps only each user’s most recent distinct items when maxHistoryPerUser is set', async () => {
    const events = ['old', 'mid', 'new1', 'new2'].map((item, i) => behaviorEvent('u1', item, 'view', i * HOUR));
    const { store, builder } = setup(events);
    await builder.build('t1', 's1', { maxHistoryPerUser: 2, shrinkage: 0 });
    expect(store.listOf('new1')!.map((n) => n.item_id)).toEqual(['new2']);
    expect(store.listOf('old')).toEqual([]);
  });

  it('reads only events since the given time and only the requested tenant and scenario', async () => {
    const events = [
      behaviorEvent('u1', 'x', 'like', 1),
      behaviorEvent('u1', 'old', 'like', 0),
      behaviorEvent('u1', 'y', 'like', 10),
      behaviorEvent('u1', 'other-tenant', 'like', 10, { tenant_id: 't2' }),
      behaviorEvent('u1', 'other-scenario', 'like', 10, { scenario_id: 's2' }),
    ];
    const { store, builder } = setup(events);
    await builder.build('t1', 's1', { since: 1 });
    expect(store.listOf('x')!.map((n) => n.item_id)).toEqual(['y']);
    expect([...store.written.keys()].filter((key) => !key.endsWith(WATERMARK_ITEM_ID)).sort()).toEqual(['t1/s1/x', 't1/s1/y']);
  });

  it('reports monotonic progress ending at 100', async () => {
    const events = Array.from({ length: 50 }, (_, i) => behaviorEvent(`u${i % 7}`, `i${i % 11}`, 'click', i));
    const { builder } = setup(events);
    const seen: number[] = [];
    await builder.build('t1', 's1', {}, (pct) => {
      seen.push(pct);
    });
    expect(seen.at(-1)).toBe(100);
    for (let k = 1; k < seen.length; k++) expect(seen[k]).toBeGreaterThanOrEqual(seen[k - 1]);
  });

  it('rejects invalid options before reading anything', async () => {
    const { builder } = setup([]);
    await expect(builder.build('t1', 's1', { topK: 0 })).rejects.toThrow(RangeError);
    await expect(builder.build('t1', 's1', { shrinkage: -1 })).rejects.toThrow(RangeError);
  });

  it('matches a brute-force reference on a random catalogue (top-K sets and scores)', async () => {
    const random = rng(3);
    const actions = ['view', 'like', 'purchase', 'impression'] as const;
    const events = Array.from({ length: 6000 }, (_, i) =>
      behaviorEvent(`u${Math.floor(random() * 300)}`, `i${Math.floor(random() * random() * 400)}`, actions[Math.floor(random() * 4)], i),
    );
    const topK = 15;
    const shrinkage = 3;
    const { store, builder } = setup(events);
    const result = await builder.build('t1', 's1', { topK, shrinkage });

    // Reference: the formula applied naively with string-keyed maps.
    const weights = new Map<string, Map<string, number>>();
    for (const e of events) {
      const w = { view: 1, like: 3, purchase: 8, impression: 0 }[e.action_type as (typeof actions)[number]];
      if (w === 0) continue;
      const row = weights.get(e.user_id) ?? new Map<string, number>();
      row.set(e.item_id, (row.get(e.item_id) ?? 0) + w);
      weights.set(e.user_id, row);
    }
    const norm2 = new Map<string, number>();
    const dot = new Map<string, Map<string, number>>();
    for (const row of weights.values()) {
      for (const [i, wi] of row) {
        norm2.set(i, (norm2.get(i) ?? 0) + Math.log1p(wi) ** 2);
        for (const [j, wj] of row) {
          if (i === j) continue;
          const di = dot.get(i) ?? new Map<string, number>();
          di.set(j, (di.get(j) ?? 0) + Math.log1p(wi) * Math.log1p(wj));
          dot.set(i, di);
        }
      }
    }
    let worstError = 0;
    let mismatchedLengths = 0;
    let pairs = 0;
    for (const item of norm2.keys()) {
      const reference = new Map([...(dot.get(item) ?? [])].map(([j, c]) => [j, c / (Math.sqrt(norm2.get(item)! * norm2.get(j)!) + shrinkage)]));
      const expectedScores = [...reference.values()].sort((a, b) => b - a).slice(0, topK);
      const list = store.listOf(item) ?? [];
      pairs += list.length;
      if (list.length !== expectedScores.length) mismatchedLengths++;
      list.forEach((n, k) => {
        // Each neighbour carries its true similarity, and the k-th is the true k-th best score.
        worstError = Math.max(worstError, Math.abs(n.score - (reference.get(n.item_id) ?? Infinity)), Math.abs(n.score - expectedScores[k]));
      });
    }
    expect(result).toMatchObject({ items: norm2.size, pairs });
    expect(mismatchedLengths).toBe(0);
    expect(worstError).toBeLessThan(1e-5);
  });
});
