import { Injectable } from '@nestjs/common';
import { Cache, cacheKey } from '@lemo/domain';

/**
 * Cached recommendation responses are keyed by the user's "generation": a
 * counter bumped whenever the user acts or is deleted. Bumping it makes every
 * cached page of that user unreachable in O(1), on any cache backend, so the
 * next request reflects the new event.
 */
@Injectable()
export class RecommendationCache {
  constructor(private readonly cache: Cache) {}

  async generation(tenantId: string, userId: string): Promise<number> {
    return (await this.cache.get<number>(cacheKey(tenantId, 'ugen', userId))) ?? 0;
  }

  async invalidateUser(tenantId: string, userId: string): Promise<void> {
    const key = cacheKey(tenantId, 'ugen', userId);
    const current = (await this.cache.get<number>(key)) ?? 0;
    await this.cache.set(key, current + 1, 7 * 24 * 3600);
  }

  responseKey(tenantId: string, userId: string, generation: number, fingerprint: string): string {
    return cacheKey(tenantId, 'rec', userId, String(generation), fingerprint);
  }

  /** Which experiment and group served a response: events that carry only its request_id are attributed through it. */
  attributionKey(tenantId: string, requestId: string): string {
    return cacheKey(tenantId, 'attr', requestId);
  }

  pageKey(tenantId: string, requestId: string): string {
    return cacheKey(tenantId, 'page', requestId);
  }

  get<T>(key: string): Promise<T | null> {
    return this.cache.get<T>(key);
  }

  set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    return this.cache.set(key, value, ttlSeconds);
  }
}
