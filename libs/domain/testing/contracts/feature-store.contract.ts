import type { FeatureStore, HotScoreIncrement, RecentInteraction } from '../../src/index';
import { FIXTURE_EPOCH } from '../fixtures';
import { useHarness, type HarnessFactory } from '../harness';

const HOUR = 3600_000;
const NOW = FIXTURE_EPOCH + 1000 * HOUR;
const DIGITS = 6;

const hit = (itemId: string, weight: number, hoursAgo: number, tenantId = 'acme', scenarioId = 'home'): HotScoreIncrement => ({
  tenantId,
  scenarioId,
  itemId,
  weight,
  at: NOW - hoursAgo * HOUR,
});

const interaction = (itemId: string, minute: number, action = 'click'): RecentInteraction => ({
  item_id: itemId,
  scenario_id: 'home',
  action_type: action,
  timestamp: NOW + minute * 60_000,
});

export function featureStoreContract(name: string, create: HarnessFactory<FeatureStore>): void {
  describe(`FeatureStore contract (${name})`, () => {
    const store = useHarness(create);

    describe('hot scores', () => {
      it('decays a contribution by half per half-life', async () => {
        await store().addHotScores([hit('one-half-life', 1, 24), hit('fresh', 1, 0), hit('two-half-lives', 4, 48)], 24);
        const scores = await store().hotScores('acme', 'home', ['one-half-life', 'fresh', 'two-half-lives'], NOW);
        expect(scores.get('one-half-life')).toBeCloseTo(0.5, DIGITS);
        expect(scores.get('fresh')).toBeCloseTo(1, DIGITS);
        expect(scores.get('two-half-lives')).toBeCloseTo(1, DIGITS);
        const later = await store().hotScores('acme', 'home', ['fresh'], NOW + 24 * HOUR);
        expect(later.get('fresh')).toBeCloseTo(0.5, DIGITS);
      });

      it('uses the half-life given with the increments', async () => {
        await store().addHotScores([hit('i1', 8, 6)], 2);
        expect((await store().hotScores('acme', 'home', ['i1'], NOW)).get('i1')).toBeCloseTo(1, DIGITS);
      });

      it('sums contributions of one item across calls', async () => {
        await store().addHotScores([hit('i1', 3, 0)], 10);
        await store().addHotScores([hit('i1', 2, 10), hit('i1', 1, 0)], 10);
        expect((await store().hotScores('acme', 'home', ['i1'], NOW)).get('i1')).toBeCloseTo(5, DIGITS);
      });

      it('ranks the top items by their current score, best first, decayed to now', async () => {
        await store().addHotScores([hit('old-heavy', 10, 48), hit('new-light', 3, 0), hit('mid', 4, 12), hit('tail', 0.1, 0)], 24);
        const top = await store().topHot('acme', 'home', 3, NOW);
        // Now: new-light 3, mid 4·2^-0.5 ≈ 2.83, old-heavy 10·2^-2 = 2.5, tail 0.1.
        expect(top.map((s) => s.item_id)).toEqual(['new-light', 'mid', 'old-heavy']);
        expect(top.map((s) => s.score)).toEqual([expect.closeTo(3, DIGITS), expect.closeTo(4 * 2 ** -0.5, DIGITS), expect.closeTo(2.5, DIGITS)]);
        const tomorrow = await store().topHot('acme', 'home', 1, NOW + 24 * HOUR);
        expect(tomorrow).toEqual([{ item_id: 'new-light', score: expect.closeTo(1.5, DIGITS) }]);
      });

      it('stays exact across a span of thousands of half-lives', async () => {
        await store().addHotScores([hit('ancient', 1, 3000)], 1);
        await store().addHotScores([hit('recent', 1, 1), hit('now', 2, 0)], 1);
        const top = await store().topHot('acme', 'home', 10, NOW);
        expect(top.map((s) => s.item_id)).toEqual(['now', 'recent']);
        expect(top[0].score).toBeCloseTo(2, DIGITS);
        expect(top[1].score).toBeCloseTo(0.5, DIGITS);
        expect(Number.isFinite(top[0].score)).toBe(true);
        expect((await store().hotScores('acme', 'home', ['ancient'], NOW)).get('ancient')).toBeLessThan(1e-100);
      });

      it('gives 0 for unknown items and forgets removed ones', async () => {
        await store().addHotScores([hit('i1', 1, 0), hit('i2', 1, 0)], 24);
        await store().removeItems('acme', 'home', ['i1']);
        const scores = await store().hotScores('acme', 'home', ['i1', 'i2', 'never'], NOW);
        expect([scores.get('i1'), scores.get('i2'), scores.get('never')]).toEqual([0, 1, 0]);
        expect((await store().topHot('acme', 'home', 10, NOW)).map((s) => s.item_id)).toEqual(['i2']);
      });

      it('keeps tenants and scenarios apart', async () => {
        await store().addHotScores([hit('i1', 1, 0, 'acme', 'home'), hit('i1', 5, 0, 'globex', 'home'), hit('i2', 7, 0, 'acme', 'news')], 24);
        expect(await store().topHot('acme', 'home', 10, NOW)).toEqual([{ item_id: 'i1', score: expect.closeTo(1, DIGITS) }]);
        expect((await store().hotScores('globex', 'home', ['i1', 'i2'], NOW)).get('i2')).toBe(0);
        await store().removeItems('globex', 'home', ['i1']);
        expect((await store().hotScores('acme', 'home', ['i1'], NOW)).get('i1')).toBeCloseTo(1, DIGITS);
        expect(await store().topHot('initech', 'home', 10, NOW)).toEqual([]);
      });
    });

    describe('recent interactions', () => {
      it('returns the newest first, by event time, up to the limit', async () => {
        await store().pushRecent('acme', 'u1', [interaction('a', 1), interaction('c', 3, 'purchase')], 10);
        await store().pushRecent('acme', 'u1', [interaction('b', 2)], 10);
        expect((await store().recent('acme', 'u1', 10)).map((i) => i.item_id)).toEqual(['c', 'b', 'a']);
        expect(await store().recent('acme', 'u1', 1)).toEqual([interaction('c', 3, 'purchase')]);
      });

      it('stores an interaction delivered twice once (a redelivered stream batch)', async () => {
        await store().pushRecent('acme', 'u1', [interaction('a', 1), interaction('b', 2)], 10);
        await store().pushRecent('acme', 'u1', [interaction('b', 2), interaction('b', 3)], 10);
        expect(await store().recent('acme', 'u1', 10)).toEqual([interaction('b', 3), interaction('b', 2), interaction('a', 1)]);
      });

      it('keeps only the newest `keep` per user', async () => {
        await store().pushRecent(
          'acme',
          'u1',
          [1, 2, 3, 4].map((m) => interaction(`i${m}`, m)),
          3,
        );
        await store().pushRecent('acme', 'u1', [interaction('i5', 5)], 3);
        expect((await store().recent('acme', 'u1', 10)).map((i) => i.item_id)).toEqual(['i5', 'i4', 'i3']);
      });

      it('keeps users and tenants apart, and deletes one user only', async () => {
        await store().pushRecent('acme', 'u1', [interaction('a', 1)], 10);
        await store().pushRecent('acme', 'u2', [interaction('b', 1)], 10);
        await store().pushRecent('globex', 'u1', [interaction('c', 1)], 10);
        await store().deleteUser('acme', 'u1');
        expect(await store().recent('acme', 'u1', 10)).toEqual([]);
        expect((await store().recent('acme', 'u2', 10)).map((i) => i.item_id)).toEqual(['b']);
        expect((await store().recent('globex', 'u1', 10)).map((i) => i.item_id)).toEqual(['c']);
      });
    });

    describe('neighbours', () => {
      it('returns the neighbour lists of the asked items, replaced on each set', async () => {
        await store().setNeighbours('acme', 'home', 'i1', [{ item_id: 'x', score: 0.9 }]);
        await store().setNeighbours('acme', 'home', 'i1', [
          { item_id: 'y', score: 0.8 },
          { item_id: 'z', score: 0.4 },
        ]);
        await store().setNeighbours('acme', 'home', 'i2', [{ item_id: 'i1', score: 0.5 }]);
        const lists = await store().neighbours('acme', 'home', ['i1', 'unknown']);
        expect(lists.get('i1')).toEqual([
          { item_id: 'y', score: 0.8 },
          { item_id: 'z', score: 0.4 },
        ]);
        expect(lists.get('unknown') ?? []).toEqual([]);
        expect(lists.has('i2')).toBe(false);
      });

      it('keeps tenants and scenarios apart', async () => {
        await store().setNeighbours('acme', 'home', 'i1', [{ item_id: 'a', score: 1 }]);
        await store().setNeighbours('globex', 'home', 'i1', [{ item_id: 'g', score: 1 }]);
        expect((await store().neighbours('acme', 'home', ['i1'])).get('i1')).toEqual([{ item_id: 'a', score: 1 }]);
        expect((await store().neighbours('acme', 'news', ['i1'])).get('i1') ?? []).toEqual([]);
      });
    });

    describe('maintenance', () => {
      const namespaces = async () => (await store().scenarioNamespaces()).map((n) => `${n.tenant_id}/${n.scenario_id}`).sort();

      it('lists the scenarios holding hot scores or neighbours, and deletes one scenario only', async () => {
        await store().addHotScores([hit('i1', 1, 0, 'acme', 'home'), hit('i1', 1, 0, 'acme', 'old:news')], 24);
        await store().setNeighbours('acme', 'old:news', 'i1', [{ item_id: 'i2', score: 1 }]);
        await store().setNeighbours('globex', 'shop', 'i1', [{ item_id: 'i2', score: 1 }]);
        await store().pushRecent('acme', 'u1', [interaction('i1', 0)], 10);
        expect(await namespaces()).toEqual(['acme/home', 'acme/old:news', 'globex/shop']);
        expect(await store().deleteScenario('acme', 'old:news')).toBeGreaterThan(0);
        expect(await namespaces()).toEqual(['acme/home', 'globex/shop']);
        expect(await store().topHot('acme', 'old:news', 10, NOW)).toEqual([]);
        expect((await store().neighbours('acme', 'old:news', ['i1'])).size).toBe(0);
        expect((await store().topHot('acme', 'home', 10, NOW)).map((s) => s.item_id)).toEqual(['i1']);
        expect(await store().recent('acme', 'u1', 10)).toHaveLength(1);
        expect(await store().deleteScenario('acme', 'never')).toBe(0);
      });

      it('trims hot scores to the best maxItems', async () => {
        await store().addHotScores([hit('a', 5, 0), hit('b', 4, 0), hit('c', 3, 0), hit('d', 2, 0), hit('x', 9, 0, 'acme', 'news')], 24);
        expect(await store().trimHotScores('acme', 'home', 2)).toBe(2);
        expect((await store().topHot('acme', 'home', 10, NOW)).map((s) => s.item_id)).toEqual(['a', 'b']);
        expect(await store().trimHotScores('acme', 'home', 2)).toBe(0);
        expect(await store().topHot('acme', 'news', 10, NOW)).toHaveLength(1);
      });
    });
  });
}
