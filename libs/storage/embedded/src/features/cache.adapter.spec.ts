import { InMemoryCache } from './cache.adapter';

describe('InMemoryCache', () => {
  it('evicts the least recently used entry beyond its bound', async () => {
    const cache = new InMemoryCache({ maxEntries: 3 });
    await cache.set('a', 1, 60);
    await cache.set('b', 2, 60);
    await cache.set('c', 3, 60);
    await cache.get('a');
    await cache.set('d', 4, 60);
    expect(cache.size).toBe(3);
    expect(await cache.get('b')).toBeNull();
    expect([await cache.get('a'), await cache.get('c'), await cache.get('d')]).toEqual([1, 3, 4]);
  });

  it('keeps an entry without TTL when given a ttl of 0', async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const cache = new InMemoryCache({ maxEntries: 10 });
      await cache.set('forever', 'v', 0);
      await cache.set('minute', 'v', 60);
      jest.setSystemTime(24 * 3600 * 1000);
      expect(await cache.get('forever')).toBe('v');
      expect(await cache.get('minute')).toBeNull();
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not count expired entries it sweeps by prefix', async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const cache = new InMemoryCache({ maxEntries: 10 });
      await cache.set('lemo:t:old', 1, 1);
      await cache.set('lemo:t:new', 2, 60);
      jest.setSystemTime(2000);
      expect(await cache.deleteByPrefix('lemo:t:')).toBe(1);
      expect(cache.size).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
