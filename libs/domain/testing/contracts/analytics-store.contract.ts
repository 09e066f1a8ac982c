import type { AnalyticsStore, AssignmentRecord, BehaviorEvent } from '../../src/index';
import { AnalyticsReference, generatedBehaviors } from '../analytics-reference';
import { expectDomainError } from '../assertions';
import { anEvent, FIXTURE_EPOCH } from '../fixtures';
import { useHarness, type HarnessFactory } from '../harness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** FIXTURE_EPOCH is midnight UTC: the start of an hour and of a day. */
const E = FIXTURE_EPOCH;

/** Every answer of the store for one tenant, to compare before and after a replay or a delete. */
async function snapshot(store: AnalyticsStore, tenantId: string, range: { from: number; to: number }) {
  return {
    actions: await store.actionStats(tenantId, range),
    hourly: await store.trend(tenantId, { ...range, granularity: 'hour' }),
    daily: await store.trend(tenantId, { ...range, granularity: 'day' }),
    topHome: await store.topItems(tenantId, { ...range, scenarioId: 'home', limit: 50 }),
    exp1: await store.experimentStats(tenantId, 'exp1', range),
    activeUsers: await store.activeUsers(tenantId, range),
    count: await store.count(tenantId),
  };
}

/** The same snapshot from the brute-force reference. */
function expected(reference: AnalyticsReference, tenantId: string, range: { from: number; to: number }) {
  return {
    actions: reference.actionStats(tenantId, range),
    hourly: reference.trend(tenantId, { ...range, granularity: 'hour' }),
    daily: reference.trend(tenantId, { ...range, granularity: 'day' }),
    topHome: reference.topItems(tenantId, { ...range, scenarioId: 'home', limit: 50 }),
    exp1: reference.experimentStats(tenantId, 'exp1', range),
    activeUsers: reference.activeUsers(tenantId, range),
    count: reference.count(tenantId),
  };
}

/**
 * Ranges are asked twice throughout: aligned to whole hours or days (an
 * adapter may answer those from pre-aggregated rollups) and not aligned (it
 * must then read the events): both must agree with the documented semantics.
 */
export function analyticsStoreContract(name: string, create: HarnessFactory<AnalyticsStore>): void {
  describe(`AnalyticsStore contract (${name})`, () => {
    const store = useHarness(create);

    it('counts events and distinct users per action type, ordered by action type', async () => {
      await store().insertBehaviors([
        anEvent('acme', { user_id: 'u1', item_id: 'i1', action_type: 'click', timestamp: E + 1 }),
        anEvent('acme', { user_id: 'u1', item_id: 'i2', action_type: 'click', timestamp: E + 10 * MINUTE }),
        anEvent('acme', { user_id: 'u2', item_id: 'i1', action_type: 'click', timestamp: E + 3 * HOUR }),
        anEvent('acme', { user_id: 'u2', item_id: 'i1', action_type: 'like', timestamp: E + 3 * HOUR }),
        anEvent('acme', { user_id: 'u3', item_id: 'i3', action_type: 'purchase', timestamp: E + 20 * HOUR }),
        anEvent('acme', { user_id: 'u3', item_id: 'i3', action_type: 'add_cart', timestamp: E + 19 * HOUR }),
      ]);
      const stats = [
        { action_type: 'add_cart', events: 1, users: 1 },
        { action_type: 'click', events: 3, users: 2 },
        { action_type: 'like', events: 1, users: 1 },
        { action_type: 'purchase', events: 1, users: 1 },
      ];
      expect(await store().actionStats('acme', { from: E, to: E + DAY })).toEqual(stats);
      expect(await store().actionStats('acme', { from: E + 1, to: E + DAY - 1 })).toEqual(stats);
    });

    it('treats ranges as [from, to) to the millisecond and filters by scenario', async () => {
      await store().insertBehaviors([
        anEvent('acme', { event_id: 'before', timestamp: E - 1 }),
        anEvent('acme', { event_id: 'first', timestamp: E }),
        anEvent('acme', { event_id: 'last', timestamp: E + HOUR - 1, user_id: 'u2' }),
        anEvent('acme', { event_id: 'after', timestamp: E + HOUR }),
        anEvent('acme', { event_id: 'news', timestamp: E + 5, scenario_id: 'news', user_id: 'u3' }),
      ]);
      const clicks = (events: number, users: number) => [{ action_type: 'click', events, users }];
      expect(await store().actionStats('acme', { scenarioId: 'home', from: E, to: E + HOUR })).toEqual(clicks(2, 2));
      expect(await store().actionStats('acme', { from: E, to: E + HOUR })).toEqual(clicks(3, 3));
      expect(await store().actionStats('acme', { scenarioId: 'news', from: E, to: E + HOUR })).toEqual(clicks(1, 1));
      expect(await store().actionStats('acme', { scenarioId: 'home', from: E + 1, to: E + HOUR })).toEqual(clicks(1, 1));
      expect(await store().actionStats('acme', { scenarioId: 'home', from: E - 1, to: E + HOUR + 1 })).toEqual(clicks(4, 2));
      expect(await store().actionStats('acme', { scenarioId: 'home', from: E - HOUR, to: E + 2 * HOUR })).toEqual(clicks(4, 2));
      expect(await store().actionStats('acme', { from: E, to: E })).toEqual([]);
      expect(await store().actionStats('acme', { scenarioId: 'shop', from: E - DAY, to: E + DAY })).toEqual([]);
    });

    it('buckets a trend by UTC hour, with events on both sides of each boundary', async () => {
      await store().insertBehaviors([
        anEvent('acme', { user_id: 'u1', timestamp: E }),
        anEvent('acme', { user_id: 'u2', timestamp: E + HOUR - 1 }),
        anEvent('acme', { user_id: 'u1', timestamp: E + HOUR }),
        anEvent('acme', { user_id: 'u1', timestamp: E + HOUR + 1, action_type: 'like' }),
        anEvent('acme', { user_id: 'u3', timestamp: E + 4 * HOUR - 1 }),
        anEvent('acme', { user_id: 'u3', timestamp: E + 4 * HOUR, scenario_id: 'news' }),
      ]);
      expect(await store().trend('acme', { scenarioId: 'home', from: E, to: E + DAY, granularity: 'hour' })).toEqual([
        { bucket_start: E, action_type: 'click', events: 2, users: 2 },
        { bucket_start: E + HOUR, action_type: 'click', events: 1, users: 1 },
        { bucket_start: E + HOUR, action_type: 'like', events: 1, users: 1 },
        { bucket_start: E + 3 * HOUR, action_type: 'click', events: 1, users: 1 },
      ]);
      expect(await store().trend('acme', { from: E + HOUR - 1, to: E + 4 * HOUR + 1, granularity: 'hour', actions: ['click'] })).toEqual([
        { bucket_start: E, action_type: 'click', events: 1, users: 1 },
        { bucket_start: E + HOUR, action_type: 'click', events: 1, users: 1 },
        { bucket_start: E + 3 * HOUR, action_type: 'click', events: 1, users: 1 },
        { bucket_start: E + 4 * HOUR, action_type: 'click', events: 1, users: 1 },
      ]);
    });

    it('buckets a trend by UTC day, filtered by actions (none or an empty list meaning all) and scenario', async () => {
      await store().insertBehaviors([
        anEvent('acme', { user_id: 'u1', timestamp: E + DAY - 1 }),
        anEvent('acme', { user_id: 'u1', timestamp: E + DAY }),
        anEvent('acme', { user_id: 'u2', timestamp: E + DAY + 5 * HOUR }),
        anEvent('acme', { user_id: 'u2', timestamp: E + DAY + 6 * HOUR, action_type: 'like' }),
        anEvent('acme', { user_id: 'u9', timestamp: E + DAY, scenario_id: 'news' }),
        anEvent('acme', { user_id: 'u1', timestamp: E + 2 * DAY + HOUR, action_type: 'purchase' }),
      ]);
      const range = { from: E, to: E + 3 * DAY, granularity: 'day' } as const;
      expect(await store().trend('acme', { ...range, scenarioId: 'home', actions: ['click'] })).toEqual([
        { bucket_start: E, action_type: 'click', events: 1, users: 1 },
        { bucket_start: E + DAY, action_type: 'click', events: 2, users: 2 },
      ]);
      const everything = [
        { bucket_start: E, action_type: 'click', events: 1, users: 1 },
        { bucket_start: E + DAY, action_type: 'click', events: 3, users: 3 },
        { bucket_start: E + DAY, action_type: 'like', events: 1, users: 1 },
        { bucket_start: E + 2 * DAY, action_type: 'purchase', events: 1, users: 1 },
      ];
      expect(await store().trend('acme', range)).toEqual(everything);
      expect(await store().trend('acme', { ...range, actions: [] })).toEqual(everything);
      expect(await store().trend('acme', { ...range, actions: ['like', 'purchase'] })).toEqual([everything[2], everything[3]]);
      // A range starting inside a day still reports the day's start as the bucket.
      expect(await store().trend('acme', { from: E + DAY + 1, to: E + 2 * DAY, granularity: 'day' })).toEqual([
        { bucket_start: E + DAY, action_type: 'click', events: 1, users: 1 },
        { bucket_start: E + DAY, action_type: 'like', events: 1, users: 1 },
      ]);
    });

    it("ranks a scenario's top items by events, then users, then item id, up to the limit", async () => {
      const at = E + 2 * HOUR;
      await store().insertBehaviors([
        ...['u1', 'u1', 'u1'].map((user_id) => anEvent('acme', { item_id: 'i1', user_id, timestamp: at })),
        ...['u1', 'u2', 'u3'].map((user_id) => anEvent('acme', { item_id: 'i2', user_id, timestamp: at })),
        ...['u4', 'u5'].map((user_id) => anEvent('acme', { item_id: 'i4', user_id, timestamp: at })),
        ...['u4', 'u5'].map((user_id) => anEvent('acme', { item_id: 'i0', user_id, timestamp: at })),
        anEvent('acme', { item_id: 'i3', user_id: 'u5', action_type: 'purchase', timestamp: at }),
        anEvent('acme', { item_id: 'i0', user_id: 'u6', action_type: 'purchase', timestamp: E + DAY }),
        ...Array.from({ length: 5 }, () => anEvent('acme', { item_id: 'x', scenario_id: 'news', timestamp: at })),
      ]);
      const ranked = [
        { item_id: 'i2', events: 3, users: 3 },
        { item_id: 'i1', events: 3, users: 1 },
        { item_id: 'i0', events: 2, users: 2 },
        { item_id: 'i4', events: 2, users: 2 },
        { item_id: 'i3', events: 1, users: 1 },
      ];
      expect(await store().topItems('acme', { scenarioId: 'home', from: E, to: E + DAY, limit: 10 })).toEqual(ranked);
      expect(await store().topItems('acme', { scenarioId: 'home', from: E + 1, to: E + DAY, limit: 10 })).toEqual(ranked);
      expect(await store().topItems('acme', { scenarioId: 'home', from: E, to: E + DAY, limit: 2 })).toEqual(ranked.slice(0, 2));
      expect(await store().topItems('acme', { scenarioId: 'home', from: E, to: E + 2 * DAY, actionTypes: ['purchase'], limit: 10 })).toEqual([
        { item_id: 'i0', events: 1, users: 1 },
        { item_id: 'i3', events: 1, users: 1 },
      ]);
      expect(await store().topItems('acme', { scenarioId: 'home', from: E, to: E + 2 * DAY, limit: 3 })).toEqual([
        { item_id: 'i0', events: 3, users: 3 },
        ranked[0],
        ranked[1],
      ]);
      expect(await store().topItems('acme', { scenarioId: 'news', from: E, to: E + 2 * HOUR, limit: 10 })).toEqual([]);
    });

    it('reports an experiment per group and action, without other experiments or events of no group', async () => {
      const inExp = (experiment_id: string, experiment_group: string | undefined, user_id: string, action_type: BehaviorEvent['action_type'], timestamp = E + HOUR) =>
        anEvent('acme', { experiment_id, ...(experiment_group && { experiment_group }), user_id, action_type, timestamp });
      await store().insertBehaviors([
        inExp('exp1', 'control', 'u1', 'impression'),
        inExp('exp1', 'control', 'u1', 'click'),
        inExp('exp1', 'control', 'u2', 'impression', E + DAY - 1),
        inExp('exp1', 'b', 'u3', 'impression'),
        inExp('exp1', 'b', 'u3', 'impression', E + 90 * MINUTE),
        inExp('exp1', 'b', 'u3', 'click'),
        inExp('exp1', 'b', 'u3', 'click', E + DAY),
        inExp('exp1', undefined, 'u5', 'click'),
        inExp('exp2', 'control', 'u4', 'click'),
        anEvent('acme', { user_id: 'u6', timestamp: E + HOUR }),
        // Experiment ids are free text: quotes, backslashes and spaces must survive every backend.
        inExp(`spring 'sale' \\ 50%`, `b "two"`, 'u7', 'purchase'),
      ]);
      const exp1 = [
        { experiment_group: 'b', action_type: 'click', events: 1, users: 1 },
        { experiment_group: 'b', action_type: 'impression', events: 2, users: 1 },
        { experiment_group: 'control', action_type: 'click', events: 1, users: 1 },
        { experiment_group: 'control', action_type: 'impression', events: 2, users: 2 },
      ];
      expect(await store().experimentStats('acme', 'exp1', { from: E, to: E + DAY })).toEqual(exp1);
      expect(await store().experimentStats('acme', 'exp1', { from: E + 1, to: E + DAY })).toEqual(exp1);
      expect(await store().experimentStats('acme', 'exp1', { from: E + HOUR + 1, to: E + DAY + 1 })).toEqual([
        { experiment_group: 'b', action_type: 'click', events: 1, users: 1 },
        { experiment_group: 'b', action_type: 'impression', events: 1, users: 1 },
        { experiment_group: 'control', action_type: 'impression', events: 1, users: 1 },
      ]);
      expect(await store().experimentStats('acme', `spring 'sale' \\ 50%`, { from: E, to: E + DAY })).toEqual([
        { experiment_group: 'b "two"', action_type: 'purchase', events: 1, users: 1 },
      ]);
      expect(await store().experimentStats('acme', 'exp3', { from: E, to: E + DAY })).toEqual([]);
      expect(await store().experimentStats('globex', 'exp1', { from: E, to: E + DAY })).toEqual([]);
    });

    it('is idempotent: replaying a whole batch, even twice at once, changes no result', async () => {
      const batch = generatedBehaviors('acme', { count: 60, start: E, spanMs: 2 * DAY, seed: 11 });
      await store().insertBehaviors(batch);
      const range = { from: E, to: E + 2 * DAY };
      const before = await snapshot(store(), 'acme', range);
      expect(before).toEqual(expected(new AnalyticsReference(batch), 'acme', range));
      await store().insertBehaviors(batch);
      await Promise.all([store().insertBehaviors(batch), store().insertBehaviors([...batch].reverse())]);
      expect(await snapshot(store(), 'acme', range)).toEqual(before);
      expect(await store().count('acme')).toBe(60);
    });

    it('is idempotent for overlapping batches and repeats within a batch; the first stored version of an event wins', async () => {
      const first = [
        anEvent('acme', { event_id: 'e1', user_id: 'u1', timestamp: E }),
        anEvent('acme', { event_id: 'e2', user_id: 'u2', timestamp: E + HOUR }),
        anEvent('acme', { event_id: 'e3', user_id: 'u3', timestamp: E + 2 * HOUR }),
      ];
      await store().insertBehaviors(first);
      await store().insertBehaviors([
        anEvent('acme', { event_id: 'e3', user_id: 'u3', timestamp: E + 2 * HOUR, action_type: 'purchase' }),
        anEvent('acme', { event_id: 'e2', user_id: 'u2', timestamp: E + HOUR }),
        anEvent('acme', { event_id: 'e4', user_id: 'u1', timestamp: E + 3 * HOUR }),
        anEvent('acme', { event_id: 'e4', user_id: 'u1', timestamp: E + 3 * HOUR }),
        anEvent('acme', { event_id: 'e5', user_id: 'u5', timestamp: E + 3 * HOUR, action_type: 'like' }),
        anEvent('acme', { event_id: 'e5', user_id: 'u5', timestamp: E + 3 * HOUR, action_type: 'share' }),
      ]);
      expect(await store().count('acme')).toBe(5);
      expect(await store().actionStats('acme', { from: E, to: E + DAY })).toEqual([
        { action_type: 'click', events: 4, users: 3 },
        { action_type: 'like', events: 1, users: 1 },
      ]);
      expect(await store().trend('acme', { from: E, to: E + DAY, granularity: 'hour', actions: ['click'] })).toEqual(
        [0, 1, 2, 3].map((hour) => ({ bucket_start: E + hour * HOUR, action_type: 'click', events: 1, users: 1 })),
      );
      expect(await store().topItems('acme', { scenarioId: 'home', from: E, to: E + DAY, limit: 5 })).toEqual([{ item_id: 'i1', events: 5, users: 4 }]);
    });

    it("deletes a user's events from every result (GDPR), in that tenant only", async () => {
      const events = generatedBehaviors('acme', { count: 80, start: E, spanMs: 2 * DAY, seed: 5 });
      const elsewhere = generatedBehaviors('globex', { count: 20, start: E, spanMs: DAY, seed: 6 });
      await store().insertBehaviors([...events, ...elsewhere]);
      const victim = events[0].user_id;
      await store().deleteUser('acme', victim);
      const reference = new AnalyticsReference([...events, ...elsewhere]).withoutUser('acme', victim);
      for (const range of [
        { from: E, to: E + 2 * DAY },
        { from: E + 7, to: E + 2 * DAY - 7 },
      ]) {
        expect(await snapshot(store(), 'acme', range)).toEqual(expected(reference, 'acme', range));
        expect(await snapshot(store(), 'globex', range)).toEqual(expected(reference, 'globex', range));
      }
      expect((await store().topItems('acme', { scenarioId: 'home', from: E, to: E + 2 * DAY, limit: 1000 })).length).toBeGreaterThan(0);
      await store().deleteUser('acme', victim);
      await store().deleteUser('acme', 'nobody');
      expect(await store().count('acme')).toBe(reference.count('acme'));
    });

    it('keeps tenants apart: the same event ids in two tenants are two events, each seen only by its tenant', async () => {
      await store().insertBehaviors([
        anEvent('acme', { event_id: 'e1', user_id: 'u1', item_id: 'a1', timestamp: E, experiment_id: 'exp1', experiment_group: 'b' }),
        anEvent('globex', { event_id: 'e1', user_id: 'u1', item_id: 'g1', timestamp: E, action_type: 'like', experiment_id: 'exp1', experiment_group: 'b' }),
        anEvent('globex', { event_id: 'e2', user_id: 'u2', item_id: 'g1', timestamp: E + 1, action_type: 'like' }),
      ]);
      const range = { from: E, to: E + HOUR };
      expect(await store().actionStats('acme', range)).toEqual([{ action_type: 'click', events: 1, users: 1 }]);
      expect(await store().actionStats('globex', range)).toEqual([{ action_type: 'like', events: 2, users: 2 }]);
      expect(await store().trend('acme', { ...range, granularity: 'day' })).toEqual([{ bucket_start: E, action_type: 'click', events: 1, users: 1 }]);
      expect(await store().topItems('acme', { ...range, scenarioId: 'home', limit: 10 })).toEqual([{ item_id: 'a1', events: 1, users: 1 }]);
      expect(await store().experimentStats('globex', 'exp1', range)).toEqual([{ experiment_group: 'b', action_type: 'like', events: 1, users: 1 }]);
      expect(await store().actionStats('initech', range)).toEqual([]);
      await store().deleteUser('globex', 'u1');
      expect(await store().count('globex')).toBe(1);
      expect(await store().count('acme')).toBe(1);
      expect(await store().experimentStats('acme', 'exp1', range)).toEqual([{ experiment_group: 'b', action_type: 'click', events: 1, users: 1 }]);
    });

    it('counts active users: distinct users with any action in the range, per scenario, across actions', async () => {
      await store().insertBehaviors([
        anEvent('acme', { user_id: 'u1', action_type: 'impression', timestamp: E }),
        anEvent('acme', { user_id: 'u1', action_type: 'click', timestamp: E + 1 }),
        // Users without any impression still count: a like or a purchase is activity.
        anEvent('acme', { user_id: 'u2', action_type: 'like', timestamp: E + HOUR }),
        anEvent('acme', { user_id: 'u3', action_type: 'purchase', timestamp: E + 2 * HOUR, scenario_id: 'news' }),
        anEvent('acme', { user_id: 'u4', action_type: 'click', timestamp: E + DAY }),
        anEvent('globex', { user_id: 'u9', timestamp: E }),
      ]);
      expect(await store().activeUsers('acme', { from: E, to: E + DAY })).toBe(3);
      expect(await store().activeUsers('acme', { from: E + 1, to: E + DAY + 1 })).toBe(4);
      expect(await store().activeUsers('acme', { from: E, to: E + DAY, scenarioId: 'home' })).toBe(2);
      expect(await store().activeUsers('acme', { from: E, to: E + DAY, scenarioId: 'news' })).toBe(1);
      expect(await store().activeUsers('acme', { from: E, to: E })).toBe(0);
      expect(await store().activeUsers('initech', { from: E, to: E + DAY })).toBe(0);
      await expectDomainError(() => store().activeUsers('acme', { from: E + 1, to: E }), 'VALIDATION_FAILED');
    });

    describe('experiment assignments', () => {
      const assigned = (tenant_id: string, experiment_id: string, user_id: string, variant_id: string, assigned_at: number): AssignmentRecord => ({
        tenant_id,
        experiment_id,
        user_id,
        variant_id,
        assigned_at,
      });

      it('records each (experiment, user) once, keeping the earliest assignment whatever the arrival order', async () => {
        await store().recordAssignments([assigned('acme', 'exp1', 'u2', 'b', E + 50), assigned('acme', 'exp1', 'u1', 'control', E + 10)]);
        await store().recordAssignments([
          assigned('acme', 'exp1', 'u2', 'b', E + 5),
          assigned('acme', 'exp1', 'u1', 'control', E + 99),
          assigned('acme', 'exp1', 'u1', 'control', E + 10),
        ]);
        await Promise.all([store().recordAssignments([assigned('acme', 'exp1', 'u3', 'b', E + 7)]), store().recordAssignments([assigned('acme', 'exp1', 'u3', 'b', E + 8)])]);
        await store().recordAssignments([]);
        expect(await store().assignments('acme', 'exp1', {}, { page: 1, pageSize: 10 })).toEqual({
          items: [assigned('acme', 'exp1', 'u1', 'control', E + 10), assigned('acme', 'exp1', 'u2', 'b', E + 5), assigned('acme', 'exp1', 'u3', 'b', E + 7)],
          total: 3,
          page: 1,
          pageSize: 10,
        });
        expect(await store().assignmentCounts('acme', 'exp1')).toEqual([
          { variant_id: 'b', users: 2 },
          { variant_id: 'control', users: 1 },
        ]);
      });

      it('pages by user id, filters by variant and user, and keeps experiments and tenants apart', async () => {
        const users = Array.from({ length: 25 }, (_, i) => `u${String(i).padStart(2, '0')}`);
        await store().recordAssignments(users.map((user, i) => assigned('acme', 'exp1', user, i % 5 === 0 ? '_holdout' : i % 2 === 0 ? 'control' : 'b', E + i)));
        await store().recordAssignments([
          assigned('acme', 'exp2', 'u00', 'x', E),
          assigned('globex', 'exp1', 'u00', 'control', E),
          assigned('acme', `spring 'sale' \\ 50%`, 'u "7"', 'b', E),
        ]);
        const second = await store().assignments('acme', 'exp1', {}, { page: 2, pageSize: 10 });
        expect(second.total).toBe(25);
        expect(second.items.map((a) => a.user_id)).toEqual(users.slice(10, 20));
        expect((await store().assignments('acme', 'exp1', {}, { page: 3, pageSize: 10 })).items.map((a) => a.user_id)).toEqual(users.slice(20));
        const holdout = await store().assignments('acme', 'exp1', { variantId: '_holdout' }, { page: 1, pageSize: 100 });
        expect(holdout.items.map((a) => a.user_id)).toEqual(['u00', 'u05', 'u10', 'u15', 'u20']);
        expect(holdout.total).toBe(5);
        expect((await store().assignments('acme', 'exp1', { userId: 'u03' }, { page: 1, pageSize: 10 })).items).toEqual([assigned('acme', 'exp1', 'u03', 'b', E + 3)]);
        expect((await store().assignments('acme', 'exp1', { userId: 'u03', variantId: 'control' }, { page: 1, pageSize: 10 })).total).toBe(0);
        expect(await store().assignmentCounts('acme', 'exp1')).toEqual([
          { variant_id: '_holdout', users: 5 },
          { variant_id: 'b', users: 10 },
          { variant_id: 'control', users: 10 },
        ]);
        expect(await store().assignmentCounts('globex', 'exp1')).toEqual([{ variant_id: 'control', users: 1 }]);
        expect(await store().assignmentCounts('acme', `spring 'sale' \\ 50%`)).toEqual([{ variant_id: 'b', users: 1 }]);
        expect(await store().assignmentCounts('initech', 'exp1')).toEqual([]);
        expect((await store().assignments('initech', 'exp1', {}, { page: 1, pageSize: 10 })).items).toEqual([]);
      });

      it("deletes a user's assignments with their events (GDPR), in that tenant only, even without events", async () => {
        await store().recordAssignments([
          assigned('acme', 'exp1', 'u1', 'b', E),
          assigned('acme', 'exp2', 'u1', 'control', E),
          assigned('acme', 'exp1', 'u2', 'b', E),
          assigned('globex', 'exp1', 'u1', 'b', E),
        ]);
        await store().deleteUser('acme', 'u1');
        expect(await store().assignmentCounts('acme', 'exp1')).toEqual([{ variant_id: 'b', users: 1 }]);
        expect(await store().assignmentCounts('acme', 'exp2')).toEqual([]);
        expect(await store().assignmentCounts('globex', 'exp1')).toEqual([{ variant_id: 'b', users: 1 }]);
      });
    });

    it('counts distinct events per tenant and per scenario', async () => {
      await store().insertBehaviors([anEvent('acme'), anEvent('acme'), anEvent('acme', { scenario_id: 'news' }), anEvent('globex')]);
      await store().insertBehaviors([]);
      expect(await store().count('acme')).toBe(3);
      expect(await store().count('acme', 'home')).toBe(2);
      expect(await store().count('acme', 'news')).toBe(1);
      expect(await store().count('initech')).toBe(0);
    });

    it('refuses malformed filters with VALIDATION_FAILED', async () => {
      const range = { from: E, to: E + HOUR };
      await expectDomainError(() => store().actionStats('acme', { from: E + 1, to: E }), 'VALIDATION_FAILED');
      await expectDomainError(() => store().actionStats('acme', { from: E + 0.5, to: E + HOUR }), 'VALIDATION_FAILED');
      await expectDomainError(() => store().trend('acme', { ...range, granularity: 'week' as 'day' }), 'VALIDATION_FAILED');
      await expectDomainError(() => store().topItems('acme', { ...range, scenarioId: 'home', limit: 0 }), 'VALIDATION_FAILED');
      await expectDomainError(() => store().topItems('acme', { ...range, scenarioId: 'home', limit: 1001 }), 'VALIDATION_FAILED');
      await expectDomainError(() => store().experimentStats('acme', 'exp1', { from: Number.NaN, to: E }), 'VALIDATION_FAILED');
    });

    it('agrees with a brute-force count on 3,000 events over three days, in batches replayed with overlaps', async () => {
      const events = generatedBehaviors('acme', { count: 3000, start: E - HOUR / 2, spanMs: 3 * DAY, seed: 42 });
      for (let start = 0; start < events.length; start += 500) await store().insertBehaviors(events.slice(Math.max(0, start - 100), start + 500));
      const reference = new AnalyticsReference(events);
      const ranges = [
        { from: E, to: E + DAY },
        { from: E - DAY, to: E + 3 * DAY },
        { from: E + 5 * HOUR, to: E + 29 * HOUR },
        { from: E + 5 * HOUR + 1234, to: E + 2 * DAY - 999 },
      ];
      for (const range of ranges) {
        expect(await snapshot(store(), 'acme', range)).toEqual(expected(reference, 'acme', range));
        const filters: Array<{ scenarioId: string; from: number; to: number; actions?: string[] }> = [
          { scenarioId: 'news', ...range },
          { scenarioId: 'home', ...range, actions: ['click', 'purchase'] },
        ];
        for (const filter of filters) {
          expect(await store().actionStats('acme', filter)).toEqual(reference.actionStats('acme', filter));
          expect(await store().trend('acme', { ...filter, granularity: 'hour' })).toEqual(reference.trend('acme', { ...filter, granularity: 'hour' }));
          expect(await store().topItems('acme', { ...filter, actionTypes: filter.actions, limit: 7 })).toEqual(
            reference.topItems('acme', { ...filter, actionTypes: filter.actions, limit: 7 }),
          );
        }
        expect(await store().experimentStats('acme', 'exp2', range)).toEqual(reference.experimentStats('acme', 'exp2', range));
        expect(await store().activeUsers('acme', { ...range, scenarioId: 'news' })).toBe(reference.activeUsers('acme', { ...range, scenarioId: 'news' }));
      }
      expect(await store().count('acme', 'news')).toBe(reference.count('acme', 'news'));
    });
  });
}
