import { Injectable } from '@nestjs/common';
import {
  DomainError,
  EventStore,
  FeatureStore,
  ItemRepository,
  UserRepository,
  itemCategory,
  itemTags,
  isPositiveAction,
  type ActionType,
  type BehaviorEvent,
  type Item,
  type Metadata,
  type RecentInteraction,
  type User,
  type UserProfile,
} from '@lemo/domain';
import { RecommendationCache } from '../recommend/recommendation-cache';
import { nowIso } from '../shared/time';

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

  /** GDPR erasure: the user record, every event, real-time features and cached recommendations. */
  async delete(tenantId: string, userId: string): Promise<{ events_deleted: number }> {
    const existed = await this.users.delete(tenantId, userId);
    const eventsDeleted = await this.events.deleteByUser(tenantId, userId);
    await this.features.deleteUser(tenantId, userId);
    await this.recommendations.invalidateUser(tenantId, userId);
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

  /** Computed from the user's newest events so it is always current. */
  async profile(tenantId: string, userId: string): Promise<UserProfile> {
    const events = await this.events.recentByUser(tenantId, userId, { limit: PROFILE_EVENT_WINDOW });
    const user = await this.users.get(tenantId, userId);
    if (!user && events.length === 0) throw DomainError.notFound('user', userId);
    const items = await this.itemsOf(tenantId, events);
    const actionCounts: Record<string, number> = {};
    const categories = new Map<string, number>();
    const tags = new Map<string, number>();
    const activeHours = new Array<number>(24).fill(0);
    for (const event of events) {
      actionCounts[event.action_type] = (actionCounts[event.action_type] ?? 0) + 1;
      activeHours[new Date(event.timestamp).getUTCHours()] += 1;
      const item = items.get(`${event.scenario_id}\u0000${event.item_id}`);
      if (!item || !isPositiveAction(event.action_type as ActionType)) continue;
      const category = itemCategory(item);
      if (category) categories.set(category, (categories.get(category) ?? 0) + 1);
      for (const tag of itemTags(item)) tags.set(tag, (tags.get(tag) ?? 0) + 1);
    }
    return {
      tenant_id: tenantId,
      user_id: userId,
      total_events: events.length,
      action_counts: actionCounts,
      preferred_categories: shares(categories).map(([category, score]) => ({ category, score })),
      preferred_tags: shares(tags).map(([tag, score]) => ({ tag, score })),
      active_hours: activeHours,
      recent_items: events.slice(0, 20).map((e) => ({ item_id: e.item_id, action_type: e.action_type, timestamp: e.timestamp })),
      first_seen_at: events.length ? events[events.length - 1].timestamp : null,
      last_seen_at: events.length ? events[0].timestamp : null,
    };
  }

  private async itemsOf(tenantId: string, events: BehaviorEvent[]): Promise<Map<string, Item>> {
    const byScenario = new Map<string, Set<string>>();
    for (const event of events) {
      const ids = byScenario.get(event.scenario_id) ?? new Set<string>();
      ids.add(event.item_id);
      byScenario.set(event.scenario_id, ids);
    }
    const found = new Map<string, Item>();
    for (const [scenarioId, ids] of byScenario) {
      for (const item of await this.items.getMany(tenantId, scenarioId, [...ids])) found.set(`${scenarioId}\u0000${item.item_id}`, item);
    }
    return found;
  }
}

/** Counts → shares of the total, highest first, top 10. */
function shares(counts: Map<string, number>): Array<[string, number]> {
  const total = [...counts.values()].reduce((a, b) => a + b, 0) || 1;
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 10)
    .map(([key, count]) => [key, Math.round((count / total) * 1000) / 1000]);
}
