import type { CounterIncrement, RealtimeCounters } from '../../src/index';
import { useHarness, type HarnessFactory } from '../harness';

const MINUTE = 60_000;
const TTL_SECONDS = 3600;

export function realtimeCountersContract(name: string, create: HarnessFactory<RealtimeCounters>): void {
  describe(`RealtimeCounters contract (${name})`, () => {
    const counters = useHarness(create);
    // Real time: a backend that expires keys by its own clock must see live buckets.
    const now = Date.now();
    const minute = Math.floor(now / MINUTE) * MINUTE;
    const inc = (eventId: string, field: string, bucket = minute, by?: number): CounterIncrement => ({ eventId, bucket, field, ...(by !== undefined && { by }) });

    it('counts per bucket and field, and reads the buckets asked for', async () => {
      const added = await counters().add('acme', 'metrics', [inc('e1', 'click'), inc('e2', 'click'), inc('e3', 'impression', minute - MINUTE), inc('e4', 'order', minute, 3)], TTL_SECONDS, now);
      expect(added).toBe(4);
      const read = await counters().read('acme', 'metrics', [minute - 2 * MINUTE, minute - MINUTE, minute]);
      expect([...read.entries()].sort(([a], [b]) => a - b)).toEqual([
        [minute - MINUTE, { impression: 1 }],
        [minute, { click: 2, order: 3 }],
      ]);
    });

    it('counts an event id once per bucket however often it is added, in one call or across calls (a replayed batch)', async () => {
      const batch = [inc('e1', 'click'), inc('e2', 'click'), inc('e1', 'click')];
      expect(await counters().add('acme', 'metrics', batch, TTL_SECONDS, now)).toBe(2);
      expect(await counters().add('acme', 'metrics', [...batch, inc('e3', 'click')], TTL_SECONDS, now)).toBe(1);
      expect((await counters().read('acme', 'metrics', [minute])).get(minute)).toEqual({ click: 3 });
    });

    it('keeps tenants and series apart', async () => {
      await counters().add('acme', 'metrics', [inc('e1', 'click')], TTL_SECONDS, now);
      await counters().add('other', 'metrics', [inc('e1', 'click'), inc('e2', 'click')], TTL_SECONDS, now);
      await counters().add('acme', 'user:u1', [inc('e1', 'click')], TTL_SECONDS, now);
      expect((await counters().read('acme', 'metrics', [minute])).get(minute)).toEqual({ click: 1 });
      expect((await counters().read('other', 'metrics', [minute])).get(minute)).toEqual({ click: 2 });
      expect((await counters().read('acme', 'user:u1', [minute])).get(minute)).toEqual({ click: 1 });
      expect((await counters().read('acme', 'user:u2', [minute])).size).toBe(0);
    });

    it('ignores increments of buckets already expired', async () => {
      const old = minute - 2 * TTL_SECONDS * 1000;
      expect(await counters().add('acme', 'metrics', [inc('e1', 'click', old), inc('e2', 'click')], TTL_SECONDS, now)).toBe(1);
      expect((await counters().read('acme', 'metrics', [old])).size).toBe(0);
    });

    it('adds nothing for an empty list and reads nothing for no buckets', async () => {
      expect(await counters().add('acme', 'metrics', [], TTL_SECONDS, now)).toBe(0);
      expect((await counters().read('acme', 'metrics', [])).size).toBe(0);
    });
  });
}
