import { Injectable } from '@nestjs/common';
import {
  DomainError,
  EventStore,
  FeatureStore,
  ItemRepository,
  UserRepository,
  type BehaviorEvent,
  type Item,
  type Metadata,
  type RecentInteraction,
  type User,
  type UserProfile,
} from '@lemo/domain';
import { UserVectors } from '@lemo/recall';
import { PrecomputedLists } from '../recommend/precomputed-lists';
import { RecommendationCache } from '../recommend/recommendation-cache';
import { nowIso } from '../shared/time';
import { addEvents, eventItemKey, profileOf, StoredProfiles, toUserProfile, type EventItems, type StoredUserProfile } from './stored-profiles';

/** How many of a user's newest events the on-demand profile reads. */
const PROFILE_EVENT_WINDOW = 2_000;

@Injectable()
export class UsersUseCase {
  constructor(
    private readonly users: UserRepository,
    private readonly events: EventStore,
    private readonly features: FeatureStore,
    private readonly items: ItemRepository,
    private readonly recommendations: RecommendationCache,
    private readonly profiles: StoredProfiles,
    private readonly userVectors: UserVectors,
    private readonly precomputed: PrecomputedLists,
  ) {}

  async upsert(tenantId: string, userId: string, attributes: Metadata): Promise<User> {
    const existing = await this.users.get(tenantId, userId);
    const now = nowIso();
    const user: User = { tenant_id: tenantId, user_id: userId, attributes, created_at: existing?.created_at ?? now, updated_at: now };
    await this.users.upsert(user);
    return user;
  }

  async get(tenantId: string, userId: string): Promise<User> {
    const user = await this.users.get(tenantId, userId);
    if (!user) throw DomainError.notFound('user', userId);
    return user;
  }

  /** GDPR erasure: the user record, every event, real-time features, stored profile and vectors, cached and precomputed recommendations. */
  async delete(tenantId: string, userId: string): Promise<{ events_deleted: number }> {
    const existed = await this.users.delete(tenantId, userId);
    const eventsDeleted = await this.events.deleteByUser(tenantId, userId);
    await this.features.deleteUser(tenantId, userId);
    await this.recommendations.invalidateUser(tenantId, userId);
    await this.profiles.delete(tenantId, userId);
    await this.userVectors.deleteUser(tenantId, userId);
    await this.precomputed.deleteUser(tenantId, userId);
    if (!existed && eventsDeleted === 0) throw DomainError.notFound('user', userId);
    return { events_deleted: eventsDeleted };
  }

  async realtimeFeatures(tenantId: string, userId: string): Promise<{ user_id: string; recent_items: RecentInteraction[]; recent_action_counts: Record<string, number> }> {
    const recent = await this.features.recent(tenantId, userId, 200);
    if (recent.length === 0 && !(await this.users.get(tenantId, userId))) throw DomainError.notFound('user', userId);
    const counts: Record<string, number> = {};
    for (const interaction of recent) counts[interaction.action_type] = (counts[interaction.action_type] ?? 0) + 1;
    return { user_id: userId, recent_items: recent.slice(0, 50), recent_action_counts: counts };
  }

  /**
   * The profile the user profile job stored, with the events that came after
   * it added; computed from the user's newest events when none is stored. Either
   * way it is current.
   */
  async profile(tenantId: string, userId: string): Promise<UserProfile> {
    // The stored profile is an optimisation: with the cache unreachable the profile is computed from the events.
    const stored = await this.profiles.get(tenantId, userId).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'UNAVAILABLE') return null;
      throw error;
    });
    if (stored && stored.last_seen_at !== null) {
      // Inclusive of last_seen_at: events of that instant not yet counted are added (last_event_ids skips the rest).
      const newer = await this.events.recentByUser(tenantId, userId, { since: stored.last_seen_at, limit: PROFILE_EVENT_WINDOW });
      return toUserProfile(tenantId, addEvents(stored, newer, await this.itemsOf(tenantId, newer), Date.now()));
    }
    const computed = await this.computeProfile(tenantId, userId);
    if (!computed) throw DomainError.notFound('user', userId);
    return toUserProfile(tenantId, computed);
  }

  /** The profile of the user's newest PROFILE_EVENT_WINDOW events; null for a user with neither a record nor events. */
  async computeProfile(tenantId: string, userId: string): Promise<StoredUserProfile | null> {
    const events = await this.events.recentByUser(tenantId, userId, { limit: PROFILE_EVENT_WINDOW });
    if (events.length === 0 && !(await this.users.get(tenantId, userId))) return null;
    return profileOf(userId, events, await this.itemsOf(tenantId, events), Date.now());
  }

  private async itemsOf(tenantId: string, events: readonly BehaviorEvent[]): Promise<EventItems> {
    const byScenario = new Map<string, Set<string>>();
    for (const event of events) {
      const ids = byScenario.get(event.scenario_id) ?? new Set<string>();
      ids.add(event.item_id);
      byScenario.set(event.scenario_id, ids);
    }
    const found = new Map<string, Item>();
    for (const [scenarioId, ids] of byScenario) {
      for (const item of await this.items.getMany(tenantId, scenarioId, [...ids])) found.set(eventItemKey(scenarioId, item.item_id), item);
    }
    return found;
  }
}
