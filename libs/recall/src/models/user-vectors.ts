import { Injectable } from '@nestjs/common';
import { Cache, cacheKey } from '@lemo/domain';

/** A user's vector as the user profile job stored it. */
export interface StoredUserVector {
  /**
   * The VectorIndex namespace whose items the vector lives among:
   * `<scenario>#<algorithm>` (factorNamespace) for a factor model's space,
   * the scenario id for the content embedder's.
   */
  namespace: string;
  /** `model`: the user's trained row; `items`: the weighted mean of their recent items' vectors. */
  source: 'model' | 'items';
  /** The deployed model version the vector belongs to (a factor space changes with every training); null for content vectors. */
  model_version: string | null;
  vector: number[];
  /** Unix ms. */
  computed_at: number;
  /** Time of the newest event of the scenario the vector reflects (unix ms): a newer one makes it stale. */
  last_event_at: number;
}

/** A stored vector outlives a few missed runs of the 2-hourly job, not a user who stopped coming. */
export const USER_VECTOR_TTL_SECONDS = 7 * 24 * 3600;

/** ':' and '%' escaped, so a key's parts split back apart whatever the ids (the id alphabet allows ':'). */
export const keyPart = (id: string): string => id.replace(/[%:]/g, (c) => (c === '%' ? '%25' : '%3A'));
export const unkeyPart = (part: string): string => part.replace(/%3A|%25/g, (c) => (c === '%3A' ? ':' : '%'));

/**
 * User vectors in the Cache under `lemo:{t}:uvec:{user}:{scenario}` (user
 * first, so a user's erasure is one prefix). Written by the user profile job,
 * read by the `embedding` strategy, which prefers a fresh one to folding the
 * user in per request.
 */
@Injectable()
export class UserVectors {
  constructor(private readonly cache: Cache) {}

  static key(tenantId: string, userId: string, scenarioId: string): string {
    return cacheKey(tenantId, 'uvec', keyPart(userId), keyPart(scenarioId));
  }

  /** Prefix of every vector of one user. */
  static userPrefix(tenantId: string, userId: string): string {
    return `${cacheKey(tenantId, 'uvec', keyPart(userId))}:`;
  }

  get(tenantId: string, userId: string, scenarioId: string): Promise<StoredUserVector | null> {
    return this.cache.get<StoredUserVector>(UserVectors.key(tenantId, userId, scenarioId));
  }

  put(tenantId: string, userId: string, scenarioId: string, vector: StoredUserVector): Promise<void> {
    return this.cache.set(UserVectors.key(tenantId, userId, scenarioId), vector, USER_VECTOR_TTL_SECONDS);
  }

  async deleteUser(tenantId: string, userId: string): Promise<void> {
    await this.cache.deleteByPrefix(UserVectors.userPrefix(tenantId, userId));
  }
}
