import { Injectable } from '@nestjs/common';
import { FeatureStore, type BehaviorEvent, type HotScoreIncrement, type RecentInteraction, type Scenario } from '@lemo/domain';
import { eventWeight, isActionType } from '@lemo/features';
import { RecommendationCache } from '../recommend/recommendation-cache';
import type { ServingWrite } from './serving-updates';

/** Recent interactions kept per user for serving (item-to-item recall, seen-item exclusion). */
export const RECENT_KEEP = 64;
const HOUR_MS = 3_600_000;

/** What a batch of accepted events changes in the real-time features. */
export interface ServingFeatureChanges {
  /** Hot-score increments, grouped by the half-life of their scenario (one store call each). */
  hotByHalfLife: Map<number, HotScoreIncrement[]>;
  /** Each user's new interactions, in event order. */
  recentByUser: Map<string, RecentInteraction[]>;
}

/**
 * The real-time feature changes of one tenant's accepted events, by the
 * realtime config of each event's scenario: an event adds its action weight
 * to the item's decayed hot score (half-life `decay_half_life_hours`) only if
 * it happened within the scenario's sliding window (`window_hours` before
 * `now`), so a backfill or a replay of old events does not make their items
 * hot; every event enters its user's recent interactions. Events of a scenario
 * `scenarioOf` does not know (deleted meanwhile) change nothing.
 */
export function servingFeatureChanges(
  tenantId: string,
  events: readonly BehaviorEvent[],
  scenarioOf: (scenarioId: string) => Scenario | null | undefined,
  now: number,
): ServingFeatureChanges {
  const hotByHalfLife = new Map<number, HotScoreIncrement[]>();
  const recentByUser = new Map<string, RecentInteraction[]>();
  for (const event of events) {
    const scenario = scenarioOf(event.scenario_id);
    if (!scenario) continue;
    const { realtime } = scenario.config;
    const weight = isActionType(event.action_type) ? eventWeight(event.action_type, realtime) : 0;
    if (weight !== 0 && event.timestamp >= now - realtime.window_hours * HOUR_MS) {
      const increments = hotByHalfLife.get(realtime.decay_half_life_hours) ?? [];
      increments.push({ tenantId, scenarioId: event.scenario_id, itemId: event.item_id, weight, at: event.timestamp });
      hotByHalfLife.set(realtime.decay_half_life_hours, increments);
    }
    const recent = recentByUser.get(event.user_id) ?? [];
    recent.push({ item_id: event.item_id, scenario_id: event.scenario_id, action_type: event.action_type, timestamp: event.timestamp });
    recentByUser.set(event.user_id, recent);
  }
  return { hotByHalfLife, recentByUser };
}

/**
 * Turns feature changes into serving writes: hot scores, each user's recent
 * items, then the user's cache generation, so their next recommendation is
 * computed with the event rather than served from the cache. Written by the
 * API as it accepts events, or by the streams app's `serving-features` job
 * (SERVING_FEATURES_WRITER).
 */
@Injectable()
export class ServingFeatureWrites {
  constructor(
    private readonly features: FeatureStore,
    private readonly recommendations: RecommendationCache,
  ) {}

  /** The writes in one sequence (ServingUpdates keeps them in this order through an outage). */
  of(tenantId: string, changes: ServingFeatureChanges): ServingWrite[] {
    return this.groups(tenantId, changes).flat();
  }

  /**
   * The writes in independent groups, each to run in its order: one per
   * half-life, and per user their recent items, then their cache generation.
   * Groups may run at once.
   */
  groups(tenantId: string, changes: ServingFeatureChanges): ServingWrite[][] {
    const groups: ServingWrite[][] = [];
    for (const [halfLife, increments] of changes.hotByHalfLife) {
      groups.push([{ what: `hot scores of ${tenantId}`, run: () => this.features.addHotScores(increments, halfLife) }]);
    }
    for (const [userId, interactions] of changes.recentByUser) {
      // Separate writes: a retry after an outage must not push the recent items twice because the generation bump failed.
      groups.push([
        { what: `recent items of ${tenantId}/${userId}`, run: () => this.features.pushRecent(tenantId, userId, interactions, RECENT_KEEP) },
        { what: `cache generation of ${tenantId}/${userId}`, run: () => this.recommendations.invalidateUser(tenantId, userId) },
      ]);
    }
    return groups;
  }
}
