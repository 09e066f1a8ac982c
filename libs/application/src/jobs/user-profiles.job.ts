import { Injectable } from '@nestjs/common';
import { Cache, cacheKey, EventStore, ScenarioRepository, VectorIndex, type BehaviorEvent, type Scenario } from '@lemo/domain';
import { factorNamespace, isFactorModel, positiveWeight } from '@lemo/features';
import { embeddingAlgorithm, keyPart, TrainedRecallModels, UserVectors, type StoredUserVector } from '@lemo/recall';
import { StoredProfiles } from '../users/stored-profiles';
import { UsersUseCase } from '../users/users.use-case';
import { scanActiveUsers } from './active-users';
import type { UserProfilesJob } from './job-names';

const HOUR_MS = 3_600_000;
/** Without a previous run, the users active this far back get profiles. */
const FIRST_RUN_LOOKBACK_MS = 24 * HOUR_MS;
/** Never scan further back than this, however long the job was off. */
const MAX_LOOKBACK_MS = 7 * 24 * HOUR_MS;
/** Events stamped before a run's start may still arrive (client clocks, retries): the next run re-reads this much. */
const LATE_EVENTS_MS = HOUR_MS;
/** The user's newest events of the scenario the vector is built from. */
const VECTOR_EVENT_WINDOW = 200;
const STATE_TTL_SECONDS = 30 * 24 * 3600;

export const DEFAULT_PROFILE_LIMITS = { maxUsers: 20_000, maxEvents: 1_000_000 };

export interface UserProfilesResult {
  users: number;
  profiles: number;
  vectors: number;
  events_scanned: number;
  /** A cap stopped the scan: the next run carries on from there. */
  capped: boolean;
  since: number;
}

/** Where the last run got to, per scenario: `lemo:{t}:jobstate:user_profiles:{scenario}`. */
export const profilesStateKey = (tenantId: string, scenarioId: string): string => cacheKey(tenantId, 'jobstate', 'user_profiles', keyPart(scenarioId));

/**
 * The user profile job of one scenario: for each user active since the last
 * run (a bounded scan of the EventStore), the stored profile (recomputed from
 * the user's newest events, so a re-run stores the same) and the user vector
 * the `embedding` strategy prefers. Idempotent: it only ever replaces.
 */
@Injectable()
export class UserProfilesJobRunner {
  constructor(
    private readonly events: EventStore,
    private readonly scenarios: ScenarioRepository,
    private readonly cache: Cache,
    private readonly users: UsersUseCase,
    private readonly profiles: StoredProfiles,
    private readonly models: TrainedRecallModels,
    private readonly vectors: VectorIndex,
    private readonly userVectors: UserVectors,
  ) {}

  async run(job: UserProfilesJob, onProgress: (percent: number, stage: string) => Promise<void>, isCancelled: () => boolean, limits = DEFAULT_PROFILE_LIMITS): Promise<UserProfilesResult> {
    const { tenant_id: tenantId, scenario_id: scenarioId } = job;
    const startedAt = Date.now();
    const scenario = await this.scenarios.get(tenantId, scenarioId);
    const state = await this.cache.get<{ since: number }>(profilesStateKey(tenantId, scenarioId));
    const since = Math.max(state?.since ?? startedAt - FIRST_RUN_LOOKBACK_MS, startedAt - MAX_LOOKBACK_MS);
    const result: UserProfilesResult = { users: 0, profiles: 0, vectors: 0, events_scanned: 0, capped: false, since };
    if (!scenario) return result;
    const active = await scanActiveUsers(this.events, tenantId, scenarioId, since, limits, isCancelled);
    Object.assign(result, { users: active.users.size, events_scanned: active.events, capped: active.capped });
    await onProgress(5, 'scan');
    let done = 0;
    for (const userId of active.users.keys()) {
      if (isCancelled()) return result;
      const profile = await this.users.computeProfile(tenantId, userId);
      if (profile) {
        await this.profiles.put(tenantId, profile);
        result.profiles++;
      }
      if (await this.storeVector(scenario, userId, startedAt)) result.vectors++;
      if (++done % 100 === 0) await onProgress(5 + Math.floor((94 * done) / active.users.size), 'profiles');
    }
    // A capped scan carries on where it stopped; a complete one from the start of this run, less the late-event margin.
    const next = active.capped ? active.until : Math.max(since, startedAt - LATE_EVENTS_MS);
    await this.cache.set(profilesStateKey(tenantId, scenarioId), { since: next }, STATE_TTL_SECONDS);
    return result;
  }

  /**
   * The user's vector: their row of the deployed factor model the `embedding`
   * strategy uses, else the weighted mean of the vectors of their recent items
   * in that model's space; with no such model, in the content embedder's space.
   */
  private async storeVector(scenario: Scenario, userId: string, now: number): Promise<boolean> {
    const { tenant_id: tenantId, scenario_id: scenarioId } = scenario;
    const events = await this.events.recentByUser(tenantId, userId, { scenarioId, limit: VECTOR_EVENT_WINDOW });
    if (events.length === 0) return false;
    const algorithm = embeddingAlgorithm(scenario.config.recall.strategies.find((s) => s.name === 'embedding')?.params ?? {});
    const loaded = await this.models.get(tenantId, scenarioId, algorithm, now);
    const base = { computed_at: now, last_event_at: events[0].timestamp };
    let stored: StoredUserVector | null = null;
    if (loaded && isFactorModel(loaded.model) && loaded.model.factors === this.vectors.dimension) {
      const namespace = factorNamespace(scenarioId, algorithm);
      const row = loaded.userIndex.get(userId);
      const model = loaded.model;
      const vector =
        row !== undefined ? Array.from(model.userFactors.subarray(row * model.factors, (row + 1) * model.factors)) : await this.meanOfItems(tenantId, namespace, events, scenario);
      if (vector) stored = { ...base, namespace, source: row !== undefined ? 'model' : 'items', model_version: loaded.version, vector };
    } else {
      const vector = await this.meanOfItems(tenantId, scenarioId, events, scenario);
      if (vector) stored = { ...base, namespace: scenarioId, source: 'items', model_version: null, vector };
    }
    if (!stored) return false;
    await this.userVectors.put(tenantId, userId, scenarioId, stored);
    return true;
  }

  /** Σ w·v / Σ w over the events' items that have a vector in `namespace`, w the action's positive weight; null when none has. */
  private async meanOfItems(tenantId: string, namespace: string, events: readonly BehaviorEvent[], scenario: Scenario): Promise<number[] | null> {
    const weights = new Map<string, number>();
    for (const event of events) {
      const weight = positiveWeight(event.action_type, scenario.config.realtime.action_weights);
      if (weight > 0) weights.set(event.item_id, (weights.get(event.item_id) ?? 0) + weight);
    }
    if (weights.size === 0) return null;
    const found = await this.vectors.get(tenantId, namespace, [...weights.keys()]);
    if (found.size === 0) return null;
    const mean = new Array<number>(this.vectors.dimension).fill(0);
    let total = 0;
    for (const [itemId, vector] of found) {
      const weight = weights.get(itemId) ?? 0;
      for (let d = 0; d < mean.length; d++) mean[d] += weight * vector[d];
      total += weight;
    }
    return mean.map((value) => value / total);
  }
}
