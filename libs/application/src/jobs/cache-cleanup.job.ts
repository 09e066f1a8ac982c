import { Injectable } from '@nestjs/common';
import { Cache, EventStore, FeatureStore, ScenarioRepository, tenantIdSchema, TenantRepository, UserRepository } from '@lemo/domain';
import { unkeyPart } from '@lemo/recall';
import type { PrecomputedList } from '../recommend/precomputed-lists';
import { RecommendationCache } from '../recommend/recommendation-cache';
import type { CacheCleanupJob } from './job-names';

const PAGE = 500;
const TENANT_PAGE = 100;
/**
 * The most hot scores kept per (tenant, scenario): the Redis adapter trims to
 * its hotMaxItems (10,000 by default) on every write, the embedded one not at
 * all; this enforces the cap on both, and again on Redis after it was lowered.
 */
export const HOT_MAX_ITEMS = 10_000;

export interface CacheCleanupResult {
  tenants: number;
  keys_scanned: number;
  /** Cache keys removed, by why. */
  removed: { unknown_tenant: number; deleted_scenario: number; deleted_user: number; stale_precomputed: number };
  feature_scenarios_removed: number;
  feature_keys_removed: number;
  hot_scores_trimmed: number;
}

/**
 * `lemo:{t}:{kind}:{…}` → its parts; null for anything else, and for keys whose
 * owner segment cannot be a tenant id (the platform's own, like `_system`'s
 * stream job states): those are never an unknown tenant's.
 */
function parseKey(key: string): { tenant: string; kind: string; ids: string[] } | null {
  const [lemo, tenant, kind, ...ids] = key.split(':');
  if (lemo !== 'lemo' || !kind || !tenantIdSchema.safeParse(tenant).success) return null;
  return { tenant, kind, ids: ids.map(unkeyPart) };
}

/**
 * The cache cleanup job: what the platform writes with no TTL of its own, or
 * one longer than its use, goes once its owner is gone. For one tenant (a
 * tenant's trigger) or every tenant plus keys of tenants that no longer exist
 * (`tenant_id` null, beat's daily run):
 * - cache: precomputed lists of deleted scenarios, or whose user acted since
 *   (their generation moved on: never served again); user vectors of deleted
 *   scenarios or users; stored profiles of deleted users; job state of
 *   deleted scenarios; everything of an unknown tenant;
 * - features: hot scores and neighbour lists of deleted scenarios (and unknown
 *   tenants); hot scores trimmed to HOT_MAX_ITEMS.
 * Keys that expire on their own soon anyway (response cache, pages,
 * attribution, generations) are left to their TTL.
 */
@Injectable()
export class CacheCleanupJobRunner {
  constructor(
    private readonly cache: Cache,
    private readonly features: FeatureStore,
    private readonly tenants: TenantRepository,
    private readonly scenarios: ScenarioRepository,
    private readonly users: UserRepository,
    private readonly events: EventStore,
    private readonly generations: RecommendationCache,
  ) {}

  async run(job: CacheCleanupJob, onProgress: (percent: number, stage: string) => Promise<void>, isCancelled: () => boolean): Promise<CacheCleanupResult> {
    const result: CacheCleanupResult = {
      tenants: 0,
      keys_scanned: 0,
      removed: { unknown_tenant: 0, deleted_scenario: 0, deleted_user: 0, stale_precomputed: 0 },
      feature_scenarios_removed: 0,
      feature_keys_removed: 0,
      hot_scores_trimmed: 0,
    };
    const known = job.tenant_id === null ? await this.allTenants() : new Set((await this.tenants.get(job.tenant_id)) ? [job.tenant_id] : []);
    result.tenants = known.size;
    const lookups = new Lookups(this.scenarios, this.users, this.events);
    const prefix = job.tenant_id === null ? 'lemo:' : `lemo:${job.tenant_id}:`;
    for await (const page of this.cache.keys(prefix, PAGE)) {
      if (isCancelled()) return result;
      for (const key of page) {
        result.keys_scanned++;
        const reason = await this.reasonToRemove(key, known, lookups);
        if (!reason) continue;
        await this.cache.delete(key);
        result.removed[reason]++;
      }
    }
    await onProgress(60, 'features');
    for (const { tenant_id, scenario_id } of await this.features.scenarioNamespaces()) {
      if (isCancelled()) return result;
      if (job.tenant_id !== null && tenant_id !== job.tenant_id) continue;
      if (!known.has(tenant_id) || !(await lookups.scenarioExists(tenant_id, scenario_id))) {
        result.feature_keys_removed += await this.features.deleteScenario(tenant_id, scenario_id);
        result.feature_scenarios_removed++;
      } else {
        result.hot_scores_trimmed += await this.features.trimHotScores(tenant_id, scenario_id, HOT_MAX_ITEMS);
      }
    }
    return result;
  }

  private async reasonToRemove(key: string, known: ReadonlySet<string>, lookups: Lookups): Promise<keyof CacheCleanupResult['removed'] | null> {
    const parsed = parseKey(key);
    if (!parsed) return null;
    const { tenant, kind, ids } = parsed;
    if (!known.has(tenant)) return 'unknown_tenant';
    switch (kind) {
      case 'pre': {
        const [userId, scenarioId] = ids;
        if (scenarioId === undefined) return null;
        if (!(await lookups.scenarioExists(tenant, scenarioId))) return 'deleted_scenario';
        const list = await this.cache.get<PrecomputedList>(key);
        if (list && list.generation !== (await this.generations.generation(tenant, userId))) return 'stale_precomputed';
        return null;
      }
      case 'uvec': {
        const [userId, scenarioId] = ids;
        if (scenarioId === undefined) return null;
        if (!(await lookups.scenarioExists(tenant, scenarioId))) return 'deleted_scenario';
        return (await lookups.userExists(tenant, userId)) ? null : 'deleted_user';
      }
      case 'uprofile':
        return ids.length === 1 && !(await lookups.userExists(tenant, ids[0])) ? 'deleted_user' : null;
      case 'jobstate':
        return ids.length === 2 && !(await lookups.scenarioExists(tenant, ids[1])) ? 'deleted_scenario' : null;
      default:
        return null;
    }
  }

  /** Every tenant id, whatever its status (a suspended tenant's data stays). */
  private async allTenants(): Promise<Set<string>> {
    const ids = new Set<string>();
    for (let page = 1; ; page++) {
      const { items } = await this.tenants.list({ page, pageSize: TENANT_PAGE });
      for (const tenant of items) ids.add(tenant.tenant_id);
      if (items.length < TENANT_PAGE) return ids;
    }
  }
}

/** Existence checks, each asked once per run. */
class Lookups {
  private readonly scenarioIds = new Map<string, Promise<boolean>>();
  private readonly userIds = new Map<string, Promise<boolean>>();

  constructor(
    private readonly scenarios: ScenarioRepository,
    private readonly users: UserRepository,
    private readonly events: EventStore,
  ) {}

  scenarioExists(tenantId: string, scenarioId: string): Promise<boolean> {
    return this.memo(this.scenarioIds, tenantId, scenarioId, async () => (await this.scenarios.get(tenantId, scenarioId)) !== null);
  }

  /** A user exists while they have a record or any event (events alone make a user, as the profile endpoint sees it). */
  userExists(tenantId: string, userId: string): Promise<boolean> {
    return this.memo(this.userIds, tenantId, userId, async () => {
      if (await this.users.get(tenantId, userId)) return true;
      return (await this.events.recentByUser(tenantId, userId, { limit: 1 })).length > 0;
    });
  }

  private memo(cache: Map<string, Promise<boolean>>, tenantId: string, id: string, load: () => Promise<boolean>): Promise<boolean> {
    const key = `${tenantId}\u0000${id}`;
    let found = cache.get(key);
    if (!found) cache.set(key, (found = load()));
    return found;
  }
}
