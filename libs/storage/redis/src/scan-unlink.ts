import type { Redis } from 'ioredis';

/**
 * Unlinks every key matching a SCAN pattern (and `accepts`), one SCAN page at
 * a time: never KEYS, which blocks the server on a large keyspace, and UNLINK
 * frees memory off the main thread. Returns how many keys were removed (a key
 * SCAN reports twice, or one that expired meanwhile, counts once or not at all).
 */
export async function unlinkMatching(redis: Redis, pattern: string, batchSize: number, accepts: (key: string) => boolean = () => true): Promise<number> {
  let cursor = '0';
  let removed = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', batchSize);
    cursor = next;
    const doomed = keys.filter(accepts);
    if (doomed.length > 0) removed += await redis.unlink(...doomed);
  } while (cursor !== '0');
  return removed;
}
