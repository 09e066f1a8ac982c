import type { VectorIndex } from '../../src/index';
import { expectDomainError } from '../assertions';
import { useHarness, type HarnessFactory } from '../harness';
import { bruteForceTopK, nearAxis, plantedClusters, seededRandom } from '../planted-vectors';

const CLUSTERS = 3;
const PER_CLUSTER = 20;
const DIGITS = 4;

export function vectorIndexContract(name: string, create: HarnessFactory<VectorIndex>): void {
  describe(`VectorIndex contract (${name})`, () => {
    const index = useHarness(create);
    const planted = () => plantedClusters(index().dimension, CLUSTERS, PER_CLUSTER);
    const load = async (tenantId = 'acme', scenarioId = 'home') => {
      const data = planted();
      await index().upsert(tenantId, scenarioId, data);
      return data;
    };
    const axis = (i: number) => nearAxis(index().dimension, i, 0, () => 0);
    const idsOf = (hits: ReadonlyArray<{ id: string }>) => hits.map((hit) => hit.id);

    it('needs at least as many dimensions as planted clusters', () => {
      expect(index().dimension).toBeGreaterThanOrEqual(CLUSTERS);
    });

    it('finds the true nearest neighbours, best first, with cosine scores', async () => {
      const data = await load();
      const query = nearAxis(index().dimension, 1, 0.1, seededRandom(99));
      const hits = await index().search('acme', 'home', query, 10);
      expect(idsOf(hits)).toEqual(bruteForceTopK(data, query, 10));
      expect(hits.every((hit) => hit.id.startsWith('c1-'))).toBe(true);
      const scores = hits.map((hit) => hit.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      const self = await index().search('acme', 'home', data[0].vector, 1);
      expect(self).toEqual([{ id: data[0].id, score: expect.closeTo(1, DIGITS) }]);
      const opposite = await index().search(
        'acme',
        'home',
        axis(0).map((x) => -x),
        60,
      );
      expect(opposite[opposite.length - 1].score).toBeLessThan(-0.5);
    });

    it('never returns excluded ids, and still returns k hits when it can', async () => {
      const data = await load();
      const query = axis(2);
      const exclude = new Set(bruteForceTopK(data, query, 5));
      const hits = await index().search('acme', 'home', query, 5, exclude);
      expect(hits).toHaveLength(5);
      expect(idsOf(hits).some((id) => exclude.has(id))).toBe(false);
      expect(idsOf(hits)).toEqual(bruteForceTopK(data, query, 5, exclude));
    });

    it('returns everything when k exceeds the count, and nothing from an empty namespace', async () => {
      await index().upsert('acme', 'home', [{ id: 'only', vector: axis(0) }]);
      expect(idsOf(await index().search('acme', 'home', axis(0), 50))).toEqual(['only']);
      expect(await index().search('acme', 'empty', axis(0), 5)).toEqual([]);
    });

    it('replaces the vector of an id upserted again', async () => {
      await load();
      await index().upsert('acme', 'home', [{ id: 'c0-0', vector: axis(2) }]);
      expect(await index().count('acme', 'home')).toBe(CLUSTERS * PER_CLUSTER);
      expect(idsOf(await index().search('acme', 'home', axis(2), 1))).toEqual(['c0-0']);
      expect(idsOf(await index().search('acme', 'home', axis(0), PER_CLUSTER))).not.toContain('c0-0');
    });

    it('removes vectors from search, count and get; unknown ids are ignored', async () => {
      const data = await load();
      await index().remove('acme', 'home', ['c1-0', 'c1-1', 'not-there']);
      expect(await index().count('acme', 'home')).toBe(CLUSTERS * PER_CLUSTER - 2);
      const hits = await index().search('acme', 'home', axis(1), PER_CLUSTER);
      expect(idsOf(hits)).not.toContain('c1-0');
      expect(hits).toHaveLength(PER_CLUSTER);
      expect((await index().get('acme', 'home', ['c1-0'])).size).toBe(0);
      await index().upsert('acme', 'home', [{ id: 'c1-0', vector: data[PER_CLUSTER].vector }]);
      expect(idsOf(await index().search('acme', 'home', data[PER_CLUSTER].vector, 1))).toEqual(['c1-0']);
    });

    it('returns stored vectors by id, skipping unknown ids', async () => {
      const data = await load();
      const stored = await index().get('acme', 'home', [data[3].id, 'nope']);
      expect([...stored.keys()]).toEqual([data[3].id]);
      const vector = stored.get(data[3].id)!;
      expect(vector).toBeInstanceOf(Float32Array);
      expect(Array.from(vector)).toEqual(data[3].vector.map((x) => expect.closeTo(x, 5)));
    });

    it('keeps tenants and scenarios apart', async () => {
      await load('acme', 'home');
      await index().upsert('globex', 'home', [{ id: 'c0-0', vector: axis(1) }]);
      await index().upsert('acme', 'news', [{ id: 'n1', vector: axis(0) }]);
      expect(idsOf(await index().search('globex', 'home', axis(0), 10))).toEqual(['c0-0']);
      expect(idsOf(await index().search('acme', 'news', axis(0), 10))).toEqual(['n1']);
      expect(idsOf(await index().search('acme', 'home', axis(1), 100))).not.toContain('n1');
      await index().remove('globex', 'home', ['c0-0']);
      expect(await index().count('acme', 'home')).toBe(CLUSTERS * PER_CLUSTER);
      expect(await index().count('globex', 'home')).toBe(0);
      expect((await index().get('globex', 'home', ['c0-1'])).size).toBe(0);
    });

    it('refuses vectors of the wrong dimension with VALIDATION_FAILED, writing nothing', async () => {
      const dimension = index().dimension;
      await expectDomainError(
        () =>
          index().upsert('acme', 'home', [
            { id: 'ok', vector: axis(0) },
            { id: 'short', vector: new Array(dimension - 1).fill(1) },
          ]),
        'VALIDATION_FAILED',
      );
      expect(await index().count('acme', 'home')).toBe(0);
      await expectDomainError(() => index().search('acme', 'home', new Array(dimension + 1).fill(1), 3), 'VALIDATION_FAILED');
    });
  });
}
