import { Injectable } from '@nestjs/common';
import { Cache, cacheKey } from '@lemo/domain';
import { keyPart } from '@lemo/recall';
import type { RecommendedItem } from './recommend-request';

/** A list the precompute job computed for one user of one scenario. */
export interface PrecomputedList {
  /** The user's cache generation when the job started computing: any later event of the user bumps it, and the list is never served again. */
  generation: number;
  /** Scenario version and experiment group the list was computed for (see RecommendUseCase.precomputeFingerprint). */
  fingerprint: string;
  /** Unix ms. */
  computed_at: number;
  experiment?: { experiment_id: string; experiment_group: string; variant_id: string | null };
  items: RecommendedItem[];
}

/**
 * The job runs every 4 hours: a list lives one run and an hour more, so a late
 * run does not leave users without one, and one left over past that is gone.
 */
export const PRECOMPUTED_TTL_SECONDS = 5 * 3600;

/** `lemo:{t}:pre:{user}:{scenario}` (user first: a user's erasure is one prefix). */
@Injectable()
export class PrecomputedLists {
  constructor(private readonly cache: Cache) {}

  static key(tenantId: string, userId: string, scenarioId: string): string {
    return cacheKey(tenantId, 'pre', keyPart(userId), keyPart(scenarioId));
  }

  get(tenantId: string, userId: string, scenarioId: string): Promise<PrecomputedList | null> {
    return this.cache.get<PrecomputedList>(PrecomputedLists.key(tenantId, userId, scenarioId));
  }

  put(tenantId: string, userId: string, scenarioId: string, list: PrecomputedList): Promise<void> {
    return this.cache.set(PrecomputedLists.key(tenantId, userId, scenarioId), list, PRECOMPUTED_TTL_SECONDS);
  }

  async deleteUser(tenantId: string, userId: string): Promise<void> {
    await this.cache.deleteByPrefix(`${cacheKey(tenantId, 'pre', keyPart(userId))}:`);
  }
}
