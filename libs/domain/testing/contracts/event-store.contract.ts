import type { BehaviorEvent, EventStore } from '../../src/index';
import { expectDomainError } from '../assertions';
import { anEvent, FIXTURE_EPOCH } from '../fixtures';
import { useHarness, type HarnessFactory } from '../harness';

const MINUTE = 60_000;
const at = (minutes: number) => FIXTURE_EPOCH + minutes * MINUTE;
const idsOf = (events: readonly BehaviorEvent[]) => events.map((event) => event.event_id);

async function scanAll(store: EventStore, tenantId: string, scenarioId: string, options: { since?: number; batchSize: number }): Promise<BehaviorEvent[][]> {
  const batches: BehaviorEvent[][] = [];
  for await (const batch of store.scan(tenantId, scenarioId, options)) batches.push(batch);
  return batches;
}

/** Reads pages of `limit` from `after` until a short page; returns the events and the cursor to read on from. */
async function readAllAppended(store: EventStore, tenantId: string, scenarioId: string, after: string | undefined, limit: number) {
  const events: BehaviorEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = await store.readAppended(tenantId, scenarioId, { after: cursor, limit });
    expect(page.events.length).toBeLessThanOrEqual(limit);
    events.push(...page.events);
    cursor = page.cursor;
    if (page.events.length < limit) return { events, cursor };
  }
}

export function eventStoreContract(name: string, create: HarnessFactory<EventStore>): void {
  describe(`EventStore contract (${name})`, () => {
    const store = useHarness(create);

    it('stores every field of an event', async () => {
      const event = anEvent('acme', {
        event_id: 'e1',
        context: { device_type: 'mobile', os: 'iOS 18' },
        experiment_id: 'exp1',
        experiment_group: 'b',
        request_id: 'req-1',
        position: 3,
        value: 12.5,
        scenario_data: { ecommerce_data: { price: 19.9, currency: 'CNY' } },
        extra_data: { nested: { list: [1, 'two'] } },
      });
      await store().append([event]);
      expect(await store().recentByUser('acme', 'u1', { limit: 10 })).toEqual([event]);
    });

    it('is idempotent by event id: a retried event is reported as a duplicate and stored once', async () => {
      const first = await store().append([anEvent('acme', { event_id: 'e1' }), anEvent('acme', { event_id: 'e2' })]);
      expect(first).toEqual({ inserted: ['e1', 'e2'], duplicates: [] });
      const retry = await store().append([
        anEvent('acme', { event_id: 'e2', action_type: 'purchase' }),
        anEvent('acme', { event_id: 'e3' }),
        anEvent('acme', { event_id: 'e3' }),
      ]);
      expect(retry).toEqual({ inserted: ['e3'], duplicates: ['e2', 'e3'] });
      expect(await store().count('acme')).toBe(3);
      const e2 = (await store().recentByUser('acme', 'u1', { limit: 10 })).find((event) => event.event_id === 'e2');
      expect(e2?.action_type).toBe('click');
    });

    it('keeps tenants apart: the same event id is a different event in another tenant', async () => {
      expect((await store().append([anEvent('acme', { event_id: 'e1' })])).inserted).toEqual(['e1']);
      expect((await store().append([anEvent('globex', { event_id: 'e1' })])).inserted).toEqual(['e1']);
      expect(await store().count('acme')).toBe(1);
      expect(await store().count('globex')).toBe(1);
      expect(await store().deleteByUser('globex', 'u1')).toBe(1);
      expect(idsOf(await store().recentByUser('acme', 'u1', { limit: 10 }))).toEqual(['e1']);
      expect(await store().recentByUser('globex', 'u1', { limit: 10 })).toEqual([]);
      expect(await scanAll(store(), 'globex', 'home', { batchSize: 10 })).toEqual([]);
    });

    it("returns a user's events newest first, filtered by scenario and inclusive since, up to the limit", async () => {
      await store().append([
        anEvent('acme', { event_id: 'old', timestamp: at(1) }),
        anEvent('acme', { event_id: 'mid', timestamp: at(5) }),
        anEvent('acme', { event_id: 'new', timestamp: at(9) }),
        anEvent('acme', { event_id: 'other-scenario', timestamp: at(7), scenario_id: 'news' }),
        anEvent('acme', { event_id: 'other-user', timestamp: at(8), user_id: 'u2' }),
      ]);
      expect(idsOf(await store().recentByUser('acme', 'u1', { limit: 10 }))).toEqual(['new', 'other-scenario', 'mid', 'old']);
      expect(idsOf(await store().recentByUser('acme', 'u1', { limit: 2 }))).toEqual(['new', 'other-scenario']);
      expect(idsOf(await store().recentByUser('acme', 'u1', { limit: 10, scenarioId: 'home' }))).toEqual(['new', 'mid', 'old']);
      expect(idsOf(await store().recentByUser('acme', 'u1', { limit: 10, scenarioId: 'home', since: at(5) }))).toEqual(['new', 'mid']);
    });

    it('scans a scenario in timestamp order, in batches, without skipping or repeating events that share a timestamp', async () => {
      // Ids deliberately out of timestamp order; several events per timestamp straddle batch borders.
      const events = Array.from({ length: 25 }, (_, i) =>
        anEvent('acme', { event_id: `e${String(24 - i).padStart(2, '0')}`, timestamp: at(Math.floor(i / 4)), user_id: `u${i % 3}` }),
      );
      await store().append([...events].reverse());
      await store().append([anEvent('acme', { scenario_id: 'news', timestamp: at(0) }), anEvent('globex', { timestamp: at(0) })]);
      const batches = await scanAll(store(), 'acme', 'home', { batchSize: 10 });
      expect(batches.map((batch) => batch.length)).toEqual([10, 10, 5]);
      const scanned = batches.flat();
      expect(idsOf(scanned).sort()).toEqual(idsOf(events).sort());
      expect(scanned.map((event) => event.timestamp)).toEqual([...scanned.map((event) => event.timestamp)].sort((a, b) => a - b));
    });

    it('scans from an inclusive since', async () => {
      await store().append([1, 2, 3, 4].map((minute) => anEvent('acme', { event_id: `m${minute}`, timestamp: at(minute) })));
      expect(idsOf((await scanAll(store(), 'acme', 'home', { since: at(3), batchSize: 100 })).flat())).toEqual(['m3', 'm4']);
      expect(await scanAll(store(), 'acme', 'home', { since: at(5), batchSize: 100 })).toEqual([]);
    });

    it('reads a scenario in append order from a cursor: late timestamps included, nothing repeated or skipped', async () => {
      // Timestamps deliberately against the append order; pages of 3 straddle the appends.
      await store().append([9, 3, 7, 1].map((minute) => anEvent('acme', { event_id: `a${minute}`, timestamp: at(minute) })));
      await store().append([anEvent('acme', { event_id: 'other-scenario', scenario_id: 'news' }), anEvent('globex', { event_id: 'other-tenant' })]);
      await store().append([8, 2].map((minute) => anEvent('acme', { event_id: `b${minute}`, timestamp: at(minute) })));
      const first = await readAllAppended(store(), 'acme', 'home', undefined, 3);
      expect(idsOf(first.events)).toEqual(['a9', 'a3', 'a7', 'a1', 'b8', 'b2']);
      expect(first.events[0]).toEqual(expect.objectContaining({ tenant_id: 'acme', scenario_id: 'home', timestamp: at(9) }));

      // Caught up: reading on returns nothing until something is appended, then exactly that, even an old timestamp.
      expect((await store().readAppended('acme', 'home', { after: first.cursor, limit: 3 })).events).toEqual([]);
      await store().append([anEvent('acme', { event_id: 'late', timestamp: at(0) }), anEvent('acme', { event_id: 'a9', timestamp: at(20) })]);
      await store().append([anEvent('acme', { event_id: 'c1', timestamp: at(30) })]);
      const next = await readAllAppended(store(), 'acme', 'home', first.cursor, 3);
      expect(idsOf(next.events)).toEqual(['late', 'c1']);
      expect((await readAllAppended(store(), 'acme', 'home', next.cursor, 3)).events).toEqual([]);
      expect(idsOf((await readAllAppended(store(), 'acme', 'home', undefined, 100)).events)).toEqual(['a9', 'a3', 'a7', 'a1', 'b8', 'b2', 'late', 'c1']);
      expect(idsOf((await readAllAppended(store(), 'globex', 'home', undefined, 100)).events)).toEqual(['other-tenant']);
    });

    it('rejects a malformed cursor or limit', async () => {
      await expectDomainError(() => store().readAppended('acme', 'home', { after: 'not a cursor', limit: 10 }), 'VALIDATION_FAILED');
      await expectDomainError(() => store().readAppended('acme', 'home', { limit: 0 }), 'VALIDATION_FAILED');
    });

    it("deletes all of a user's events (GDPR) and nobody else's", async () => {
      await store().append([anEvent('acme', { user_id: 'u1' }), anEvent('acme', { user_id: 'u1', scenario_id: 'news' }), anEvent('acme', { user_id: 'u2' })]);
      expect(await store().deleteByUser('acme', 'u1')).toBe(2);
      expect(await store().recentByUser('acme', 'u1', { limit: 10 })).toEqual([]);
      expect(await store().count('acme')).toBe(1);
      expect(await store().deleteByUser('acme', 'u1')).toBe(0);
    });

    it('counts per tenant and per scenario', async () => {
      await store().append([anEvent('acme'), anEvent('acme'), anEvent('acme', { scenario_id: 'news' }), anEvent('globex')]);
      expect(await store().count('acme')).toBe(3);
      expect(await store().count('acme', 'home')).toBe(2);
      expect(await store().count('acme', 'news')).toBe(1);
      expect(await store().count('initech')).toBe(0);
    });

    it('appends large batches: 5,000 events in batches of 1,000, all readable', async () => {
      for (let batch = 0; batch < 5; batch++) {
        const events = Array.from({ length: 1000 }, (_, i) => anEvent('acme', { user_id: `u${i % 50}`, item_id: `i${i}`, timestamp: at(batch * 1000 + i) }));
        expect((await store().append(events)).inserted).toHaveLength(1000);
      }
      expect(await store().count('acme', 'home')).toBe(5000);
      expect((await store().recentByUser('acme', 'u7', { limit: 1000 })).length).toBe(100);
    });
  });
}
