import type { ActionType, BehaviorEvent, ScoredId } from '@lemo/domain';
import { behaviorEvent, FakeEventStore, RecordingFeatureStore } from '../../testing';
import { mulberry32 } from '../models/random';
import { ItemSimilarityBuilder, type ItemSimilarityOptions } from './item-similarity.builder';
import { WATERMARK_ITEM_ID } from './neighbour-watermark';

const ACTIONS: readonly ActionType[] = ['view', 'click', 'like', 'purchase', 'impression', 'dislike'];

/**
 * Random events on a small catalogue with skewed popularity, so that items
 * share users, scores tie, popular items sit in many lists and users exceed
 * a small history cap. `lateShare` of them carry timestamps before `start`.
 */
function randomEvents(random: () => number, count: number, start: number, space: { users: number; items: number }, lateShare = 0): BehaviorEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const user = `u${Math.floor(space.users * random() ** 1.5)}`;
    const item = `i${Math.floor(space.items * random() ** 2)}`;
    const late = random() < lateShare;
    return behaviorEvent(user, item, ACTIONS[Math.floor(random() * ACTIONS.length)], late ? Math.floor(random() * start) : start + i);
  });
}

/** Every neighbour list written, watermark aside. */
function lists(store: RecordingFeatureStore): Map<string, ScoredId[]> {
  return new Map([...store.written].filter(([key]) => !key.endsWith(WATERMARK_ITEM_ID)));
}

/** Full build on `a`, then one incremental update per later batch; returns the lists and each update's result. */
async function buildThenUpdate(batches: BehaviorEvent[][], options: ItemSimilarityOptions) {
  const events = new FakeEventStore(batches[0]);
  const store = new RecordingFeatureStore();
  const builder = new ItemSimilarityBuilder(events, store);
  await builder.build('t1', 's1', options);
  const updates = [];
  for (const batch of batches.slice(1)) {
    events.arrive(batch);
    updates.push(await builder.update('t1', 's1', options));
  }
  return { lists: lists(store), updates, events };
}

async function fullBuild(events: BehaviorEvent[], options: ItemSimilarityOptions): Promise<Map<string, ScoredId[]>> {
  const store = new RecordingFeatureStore();
  await new ItemSimilarityBuilder(new FakeEventStore(events), store).build('t1', 's1', options);
  return lists(store);
}

describe('incremental item similarity', () => {
  const cases: Array<{ seed: number; options: ItemSimilarityOptions; lateShare: number }> = [
    // Small row margins make updates drop entries below rows' bounds and rescore rows short of K.
    { seed: 1, options: { topK: 3, shrinkage: 2, maxHistoryPerUser: 6 }, lateShare: 0 },
    { seed: 2, options: { topK: 5, shrinkage: 0, maxHistoryPerUser: 4, rowMargin: 1 }, lateShare: 0.3 },
    { seed: 3, options: { topK: 2, shrinkage: 5, maxHistoryPerUser: 200, rowMargin: 0 }, lateShare: 0.1 },
    { seed: 4, options: { topK: 10, shrinkage: 1, maxHistoryPerUser: 10, rowMargin: 2 }, lateShare: 0 },
    { seed: 5, options: { topK: 1, shrinkage: 3, maxHistoryPerUser: 3, rowMargin: 1 }, lateShare: 0.5 },
    { seed: 6, options: { topK: 4, shrinkage: 0.5, maxHistoryPerUser: 8, rowMargin: 2 }, lateShare: 0 },
    // `since` drops the first half of A and most late events, in both paths alike.
    { seed: 7, options: { topK: 3, shrinkage: 1, maxHistoryPerUser: 5, since: 1_000_300, actionWeights: { impression: 0.5 } }, lateShare: 0.3 },
  ];

  it.each(cases)('equals a full build on A+B in every list, scores bit for bit (seed $seed)', async ({ seed, options, lateShare }) => {
    const random = mulberry32(seed);
    const space = { users: 40, items: 60 };
    const a = randomEvents(random, 600, 1_000_000, space);
    // Three increments, each with new users and items, repeats of known pairs, and (some cases) late timestamps.
    const increments = [0, 1, 2].map((k) => randomEvents(random, 40 + 30 * k, 2_000_000 + k * 1000, { users: 45 + 5 * k, items: 70 + 5 * k }, lateShare));
    const opts = { ...options, maxDeltaShare: 1 };

    const incremental = await buildThenUpdate([a, ...increments], opts);
    const reference = await fullBuild([a, ...increments].flat(), opts);

    expect(incremental.updates.map((u) => u.mode)).toEqual(['incremental', 'incremental', 'incremental']);
    expect([...incremental.lists.keys()].sort()).toEqual([...reference.keys()].sort());
    for (const [key, list] of reference) expect({ key, list: incremental.lists.get(key) }).toEqual({ key, list });
    // Only the increments were read again, not the whole log.
    expect(incremental.events.appendedRead).toBe(a.length + increments.flat().length);
  });

  it('patches most rows in place and rescores only the touched items and rows short of K', async () => {
    const random = mulberry32(11);
    const a = randomEvents(random, 3000, 1_000_000, { users: 200, items: 300 });
    const b = randomEvents(random, 30, 2_000_000, { users: 200, items: 300 });
    const options = { topK: 5, shrinkage: 2, maxHistoryPerUser: 20 };
    const { lists: incremental, updates } = await buildThenUpdate([a, b], options);
    const [update] = updates;
    expect(update.mode).toBe('incremental');
    expect(update.touched).toBeGreaterThan(0);
    expect(update.touched).toBeLessThan(100);
    expect(update.patched).toBeGreaterThan(update.recomputed!);
    // Lists written: the changed ones only, far fewer than all 300.
    expect(update.items).toBeLessThan(200);
    expect(incremental).toEqual(await fullBuild([...a, ...b], options));
  });
});

describe('ItemSimilarityBuilder.update picks incremental or full', () => {
  const a = [
    behaviorEvent('u1', 'x', 'like', 1),
    behaviorEvent('u1', 'y', 'like', 2),
    behaviorEvent('u2', 'x', 'like', 3),
    behaviorEvent('u2', 'z', 'like', 4),
  ];
  const b = [behaviorEvent('u3', 'y', 'like', 5), behaviorEvent('u3', 'z', 'like', 6)];
  const options = { shrinkage: 0, maxDeltaShare: 1 };

  it('builds in full when no watermark is stored (never built, or the lists are gone)', async () => {
    const builder = new ItemSimilarityBuilder(new FakeEventStore(a), new RecordingFeatureStore());
    expect(await builder.update('t1', 's1', options)).toMatchObject({ mode: 'full', reason: 'no watermark', items: 3 });
    expect(await builder.update('t1', 's1', options)).toMatchObject({ mode: 'incremental', items: 0, pairs: 0 });
  });

  it('builds in full when this process does not hold the state of the build that wrote the lists', async () => {
    const events = new FakeEventStore(a);
    const store = new RecordingFeatureStore();
    const first = new ItemSimilarityBuilder(events, store);
    const second = new ItemSimilarityBuilder(events, store);
    await first.build('t1', 's1', options);
    events.arrive(b);
    // Another worker (or this one after a restart) has nothing in memory.
    expect(await second.update('t1', 's1', options)).toMatchObject({ mode: 'full', reason: 'no state in this process' });
    // The first one's state is now behind the lists the second one wrote.
    expect(await first.update('t1', 's1', options)).toMatchObject({ mode: 'full', reason: 'built by another build' });
    expect(await first.update('t1', 's1', { ...options, topK: 2 })).toMatchObject({ mode: 'full', reason: 'settings changed' });
    events.arrive([behaviorEvent('u4', 'x', 'like', 7)]);
    expect(await first.update('t1', 's1', { ...options, topK: 2 })).toMatchObject({ mode: 'incremental', interactions: 7 });
  });

  it('builds in full when the new interactions exceed maxDeltaShare of the built ones, with the same lists', async () => {
    const events = new FakeEventStore(a);
    const store = new RecordingFeatureStore();
    const builder = new ItemSimilarityBuilder(events, store);
    await builder.build('t1', 's1', options);
    events.arrive(b);
    // 2 new interactions on 4 built: 50 %.
    expect(await builder.update('t1', 's1', { ...options, maxDeltaShare: 0.2 })).toMatchObject({ mode: 'full', reason: 'large delta', interactions: 6 });
    expect(lists(store)).toEqual(await fullBuild([...a, ...b], options));
  });

  it('after a failed update, the next one is a full build (no half-updated state is reused)', async () => {
    const events = new FakeEventStore(a);
    const store = new RecordingFeatureStore();
    const builder = new ItemSimilarityBuilder(events, store);
    await builder.build('t1', 's1', options);
    events.arrive(b);
    const readAppended = events.readAppended.bind(events);
    events.readAppended = () => Promise.reject(new Error('event store down'));
    await expect(builder.update('t1', 's1', options)).rejects.toThrow('event store down');
    events.readAppended = readAppended;
    expect(await builder.update('t1', 's1', options)).toMatchObject({ mode: 'full', reason: 'no state in this process' });
    expect(lists(store)).toEqual(await fullBuild([...a, ...b], options));
  });

  it('runs builds of one scenario one at a time: concurrent updates neither lose nor double-count events', async () => {
    const events = new FakeEventStore(a);
    const store = new RecordingFeatureStore();
    const builder = new ItemSimilarityBuilder(events, store);
    await builder.build('t1', 's1', options);
    events.arrive(b);
    const results = await Promise.all([builder.update('t1', 's1', options), builder.update('t1', 's1', options)]);
    expect(results.map((r) => r.mode)).toEqual(['incremental', 'incremental']);
    expect(results.map((r) => r.interactions)).toEqual([6, 6]);
    expect(lists(store)).toEqual(await fullBuild([...a, ...b], options));
  });
});
