import { DomainError, FeatureStore, type FeatureNamespace, type HotScoreIncrement, type RecentInteraction, type ScoredId } from '@lemo/domain';
import type { ChainableCommander, ClientContext, Redis, Result } from 'ioredis';
import { ADD_HOT_SCORES_LUA, decayFactor, HOUR_MS } from './hot-scores.script';
import { guarded } from './redis-errors';
import type { RedisKeyspace } from './redis-keys';
import { unlinkMatching } from './scan-unlink';

declare module 'ioredis' {
  interface RedisCommander<Context extends ClientContext = { type: 'default' }> {
    /** ADD_HOT_SCORES_LUA, sent as EVALSHA by ioredis (loaded on first use). */
    lemoAddHotScores(scoresKey: string, referenceKey: string, ...args: Array<string | number>): Result<number, Context>;
  }
}

export interface FeatureStoreLimits {
  hotMaxItems: number;
  hotIdleHalfLives: number;
  /** SCAN COUNT of the maintenance calls. */
  scanCount?: number;
  recentTtlSeconds: number;
  neighbourTtlSeconds: number;
}

/** Fields of a recent-interaction member; ids cannot contain it (the domain id alphabet has no control characters). */
const SEPARATOR = '\x1f';

/**
 * Real-time features in Redis: hot scores in one sorted set per (tenant,
 * scenario) against a reference time (see hot-scores.script), recent
 * interactions in one sorted set per user scored by event time, neighbour
 * lists as one compact JSON string per item. Every call is one round trip
 * (a pipeline or a Lua script); addHotScores sends all its namespaces at once.
 */
export class RedisFeatureStore extends FeatureStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeyspace,
    private readonly limits: FeatureStoreLimits,
  ) {
    super();
    redis.defineCommand('lemoAddHotScores', { numberOfKeys: 2, lua: ADD_HOT_SCORES_LUA });
  }

  addHotScores(increments: readonly HotScoreIncrement[], halfLifeHours: number): Promise<void> {
    if (!(halfLifeHours > 0) || !Number.isFinite(halfLifeHours)) return Promise.reject(DomainError.invalid('halfLifeHours', 'must be positive'));
    const bad = increments.find((i) => !Number.isFinite(i.weight) || !Number.isFinite(i.at));
    if (bad) return Promise.reject(DomainError.invalid('increments', `weight and at must be finite numbers (item '${bad.itemId}')`));
    if (increments.length === 0) return Promise.resolve();
    const halfLifeMs = halfLifeHours * HOUR_MS;
    const idleTtlMs = Math.ceil(halfLifeMs * this.limits.hotIdleHalfLives);
    const byNamespace = new Map<string, { tenantId: string; scenarioId: string; args: Array<string | number> }>();
    for (const { tenantId, scenarioId, itemId, weight, at } of increments) {
      const key = this.keys.hotScores(tenantId, scenarioId);
      let group = byNamespace.get(key);
      if (!group) byNamespace.set(key, (group = { tenantId, scenarioId, args: [] }));
      group.args.push(itemId, weight, at);
    }
    return this.execute((pipeline) => {
      for (const [key, { tenantId, scenarioId, args }] of byNamespace) {
        pipeline.lemoAddHotScores(key, this.keys.hotReference(tenantId, scenarioId), halfLifeMs, this.limits.hotMaxItems, idleTtlMs, ...args);
      }
    }).then(() => undefined);
  }

  /** Items with a positive current score, best first. */
  async topHot(tenantId: string, scenarioId: string, limit: number, now: number): Promise<ScoredId[]> {
    limit = Math.floor(limit);
    if (!(limit > 0)) return [];
    const [reference, flat] = await this.execute((pipeline) => {
      pipeline.hmget(this.keys.hotReference(tenantId, scenarioId), 'ref', 'hl');
      pipeline.zrange(this.keys.hotScores(tenantId, scenarioId), '+inf', '(0', 'BYSCORE', 'REV', 'LIMIT', 0, limit, 'WITHSCORES');
    });
    const factor = currentFactor(reference as Array<string | null>, now);
    if (factor === null) return [];
    const members = flat as string[];
    const top: ScoredId[] = [];
    for (let i = 0; i < members.length; i += 2) top.push({ item_id: members[i], score: Number(members[i + 1]) * factor });
    return top;
  }

  async hotScores(tenantId: string, scenarioId: string, itemIds: readonly string[], now: number): Promise<Map<string, number>> {
    const scores = new Map<string, number>(itemIds.map((id) => [id, 0]));
    if (itemIds.length === 0) return scores;
    const [reference, stored] = await this.execute((pipeline) => {
      pipeline.hmget(this.keys.hotReference(tenantId, scenarioId), 'ref', 'hl');
      pipeline.zmscore(this.keys.hotScores(tenantId, scenarioId), ...itemIds);
    });
    const factor = currentFactor(reference as Array<string | null>, now);
    if (factor === null) return scores;
    (stored as Array<string | null>).forEach((score, i) => {
      if (score !== null) scores.set(itemIds[i], Number(score) * factor);
    });
    return scores;
  }

  removeItems(tenantId: string, scenarioId: string, itemIds: readonly string[]): Promise<void> {
    if (itemIds.length === 0) return Promise.resolve();
    return guarded(async () => {
      await this.redis.zrem(this.keys.hotScores(tenantId, scenarioId), ...itemIds);
    });
  }

  /**
   * Scored by event time; the member packs item, scenario, action and the
   * time (base 36), so the same event delivered twice is stored once. Stays
   * a listpack (compact) while a user has ≤ 128 entries of ≤ 64 bytes.
   */
  pushRecent(tenantId: string, userId: string, interactions: readonly RecentInteraction[], keep: number): Promise<void> {
    const key = this.keys.recent(tenantId, userId);
    const entries = interactions.flatMap((i) => [i.timestamp, [i.item_id, i.scenario_id, i.action_type, i.timestamp.toString(36)].join(SEPARATOR)]);
    return this.execute((pipeline) => {
      if (entries.length > 0) pipeline.zadd(key, ...entries);
      if (Number.isFinite(keep)) pipeline.zremrangebyrank(key, 0, -Math.max(0, Math.floor(keep)) - 1);
      if (this.limits.recentTtlSeconds > 0) pipeline.expire(key, this.limits.recentTtlSeconds);
    }, true).then(() => undefined);
  }

  async recent(tenantId: string, userId: string, limit: number): Promise<RecentInteraction[]> {
    limit = Math.floor(limit);
    if (!(limit > 0)) return [];
    const flat = await guarded(() => this.redis.zrange(this.keys.recent(tenantId, userId), 0, String(limit - 1), 'REV', 'WITHSCORES'));
    const interactions: RecentInteraction[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const [item_id, scenario_id, action_type] = flat[i].split(SEPARATOR);
      interactions.push({ item_id, scenario_id, action_type, timestamp: Number(flat[i + 1]) });
    }
    return interactions;
  }

  deleteUser(tenantId: string, userId: string): Promise<void> {
    return guarded(async () => {
      await this.redis.unlink(this.keys.recent(tenantId, userId));
    });
  }

  /** Stored as `[[item_id, score], …]`, a third the size of the objects. */
  setNeighbours(tenantId: string, scenarioId: string, itemId: string, neighbours: readonly ScoredId[]): Promise<void> {
    const key = this.keys.neighbours(tenantId, scenarioId, itemId);
    const json = JSON.stringify(neighbours.map((n) => [n.item_id, n.score]));
    const ttl = this.limits.neighbourTtlSeconds;
    return guarded(async () => {
      if (ttl > 0) await this.redis.set(key, json, 'EX', ttl);
      else await this.redis.set(key, json);
    });
  }

  /** Items without a list are absent from the map. One MGET for all of them. */
  async neighbours(tenantId: string, scenarioId: string, itemIds: readonly string[]): Promise<Map<string, ScoredId[]>> {
    const lists = new Map<string, ScoredId[]>();
    if (itemIds.length === 0) return lists;
    const values = await guarded(() => this.redis.mget(itemIds.map((id) => this.keys.neighbours(tenantId, scenarioId, id))));
    values.forEach((json, i) => {
      if (json !== null)
        lists.set(
          itemIds[i],
          (JSON.parse(json) as Array<[string, number]>).map(([item_id, score]) => ({ item_id, score })),
        );
    });
    return lists;
  }

  /** SCANs the hot, reference and neighbour keys (never KEYS): maintenance only, O(keyspace). */
  scenarioNamespaces(): Promise<FeatureNamespace[]> {
    return guarded(async () => {
      const found = new Map<string, FeatureNamespace>();
      for (const pattern of this.keys.scenarioFeaturePatterns()) {
        let cursor = '0';
        do {
          const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', this.limits.scanCount ?? 500);
          cursor = next;
          for (const key of keys) {
            const namespace = this.keys.scenarioOf(key);
            if (namespace) found.set(JSON.stringify([namespace.tenant_id, namespace.scenario_id]), namespace);
          }
        } while (cursor !== '0');
      }
      return [...found.values()];
    });
  }

  deleteScenario(tenantId: string, scenarioId: string): Promise<number> {
    return guarded(async () => {
      const direct = await this.redis.unlink(this.keys.hotScores(tenantId, scenarioId), this.keys.hotReference(tenantId, scenarioId));
      return direct + (await unlinkMatching(this.redis, this.keys.neighbourPattern(tenantId, scenarioId), this.limits.scanCount ?? 500));
    });
  }

  /** ZREMRANGEBYRANK of the lowest ranks: the set is kept in stored-score order, which is the current order. */
  trimHotScores(tenantId: string, scenarioId: string, maxItems: number): Promise<number> {
    return guarded(() => this.redis.zremrangebyrank(this.keys.hotScores(tenantId, scenarioId), 0, -Math.max(0, Math.floor(maxItems)) - 1));
  }

  /** Runs the queued commands in one round trip (MULTI/EXEC when `atomic`), failing with the first error. */
  private execute(queue: (pipeline: ChainableCommander) => void, atomic = false): Promise<unknown[]> {
    return guarded(async () => {
      const pipeline = atomic ? this.redis.multi() : this.redis.pipeline();
      queue(pipeline);
      const replies = (await pipeline.exec()) ?? [];
      const failure = replies.find(([error]) => error);
      if (failure) throw failure[0];
      return replies.map(([, value]) => value);
    });
  }
}

/** The factor from a namespace's reference time to `now`; null when it has no hot scores. */
function currentFactor([ref, halfLife]: Array<string | null>, now: number): number | null {
  if (ref === null || halfLife === null) return null;
  return decayFactor(Number(ref), now, Number(halfLife));
}
