import { cacheKey, type Cache } from '../../src/index';
import { eventually } from '../assertions';
import { useHarness, type HarnessFactory } from '../harness';

export function cacheContract(name: string, create: HarnessFactory<Cache>): void {
  describe(`Cache contract (${name})`, () => {
    const cache = useHarness(create);

    it('returns a stored JSON value, and null for a missing key', async () => {
      const value = { items: [{ id: 'i1', score: 0.5 }], cursor: null, nested: { ok: true } };
      await cache().set(cacheKey('acme', 'rec', 'u1'), value, 60);
      expect(await cache().get(cacheKey('acme', 'rec', 'u1'))).toEqual(value);
      expect(await cache().get(cacheKey('acme', 'rec', 'u2'))).toBeNull();
    });

    it('hands out copies: changing a returned value does not change the cached one', async () => {
      await cache().set('lemo:acme:k', { list: [1] }, 60);
      const first = await cache().get<{ list: number[] }>('lemo:acme:k');
      first?.list.push(2);
      expect(await cache().get('lemo:acme:k')).toEqual({ list: [1] });
    });

    it('overwrites a key, and deletes it', async () => {
      await cache().set('lemo:acme:k', 'v1', 60);
      await cache().set('lemo:acme:k', 'v2', 60);
      expect(await cache().get('lemo:acme:k')).toBe('v2');
      await cache().delete('lemo:acme:k');
      expect(await cache().get('lemo:acme:k')).toBeNull();
      await cache().delete('lemo:acme:never-set');
    });

    it('expires a value after its TTL', async () => {
      await cache().set('lemo:acme:short', 'soon gone', 1);
      await cache().set('lemo:acme:long', 'stays', 60);
      expect(await cache().get('lemo:acme:short')).toBe('soon gone');
      await eventually(async () => expect(await cache().get('lemo:acme:short')).toBeNull(), 3000, 50);
      expect(await cache().get('lemo:acme:long')).toBe('stays');
    });

    it("deletes by a literal prefix without touching another tenant's keys", async () => {
      await cache().set(cacheKey('t1', 'rec', 'u1'), 1, 60);
      await cache().set(cacheKey('t1', 'rec', 'u2'), 2, 60);
      await cache().set(cacheKey('t1', 'profile', 'u1'), 3, 60);
      await cache().set(cacheKey('t10', 'rec', 'u1'), 4, 60);
      await cache().set(cacheKey('t2', 'rec', 'u1'), 5, 60);
      expect(await cache().deleteByPrefix(`${cacheKey('t1', 'rec')}:`)).toBe(2);
      expect(await cache().get(cacheKey('t1', 'rec', 'u1'))).toBeNull();
      expect(await cache().get(cacheKey('t1', 'profile', 'u1'))).toBe(3);
      expect(await cache().deleteByPrefix(`${cacheKey('t1')}:`)).toBe(1);
      expect(await cache().get(cacheKey('t10', 'rec', 'u1'))).toBe(4);
      expect(await cache().get(cacheKey('t2', 'rec', 'u1'))).toBe(5);
    });

    it('treats pattern characters in a prefix literally', async () => {
      await cache().set('lemo:acme:a*b', 1, 60);
      await cache().set('lemo:acme:axb', 2, 60);
      await cache().set('lemo:acme:[a]', 3, 60);
      await cache().set('lemo:acme:a', 4, 60);
      expect(await cache().deleteByPrefix('lemo:acme:a*')).toBe(1);
      expect(await cache().deleteByPrefix('lemo:acme:[a')).toBe(1);
      expect(await cache().get('lemo:acme:axb')).toBe(2);
      expect(await cache().get('lemo:acme:a')).toBe(4);
    });

    it('lists the live keys under a literal prefix, in pages, and none of another tenant', async () => {
      const mine = Array.from({ length: 7 }, (_, i) => cacheKey('t1', 'pre', 'home', `u:${i}`));
      for (const key of mine) await cache().set(key, 1, 60);
      await cache().set(cacheKey('t1', 'ugen', 'u1'), 1, 60);
      await cache().set(cacheKey('t10', 'pre', 'home', 'u1'), 1, 60);
      await cache().set(cacheKey('t1', 'pre', 'home', 'gone'), 1, 1);
      await eventually(async () => expect(await cache().get(cacheKey('t1', 'pre', 'home', 'gone'))).toBeNull(), 3000, 50);
      const listed: string[] = [];
      for await (const page of cache().keys(`${cacheKey('t1', 'pre')}:`, 3)) listed.push(...page);
      expect([...new Set(listed)].sort()).toEqual([...mine].sort());
      const everything: string[] = [];
      for await (const page of cache().keys('lemo:', 100)) everything.push(...page);
      expect(new Set(everything)).toEqual(new Set([...mine, cacheKey('t1', 'ugen', 'u1'), cacheKey('t10', 'pre', 'home', 'u1')]));
    });
  });
}
