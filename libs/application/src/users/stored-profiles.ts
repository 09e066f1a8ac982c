import { Injectable } from '@nestjs/common';
import { Cache, cacheKey, isPositiveAction, itemCategory, itemTags, type ActionType, type BehaviorEvent, type Item, type UserProfile } from '@lemo/domain';
import { keyPart } from '@lemo/recall';

/**
 * A user's profile as counts, so that what happened after it was computed can
 * be added on read. Shares (the wire's preferred_* scores) are derived from
 * the counts only when it is served.
 */
export interface StoredUserProfile {
  user_id: string;
  /** Unix ms. */
  computed_at: number;
  total_events: number;
  action_counts: Record<string, number>;
  /** Positive interactions per item category / tag. */
  category_counts: Record<string, number>;
  tag_counts: Record<string, number>;
  /** Events per hour of day (UTC). */
  active_hours: number[];
  recent_items: UserProfile['recent_items'];
  first_seen_at: number | null;
  last_seen_at: number | null;
  /** Ids of the events at last_seen_at: the merge on read starts there (inclusive) and must not count these twice. */
  last_event_ids: string[];
}

/** A profile outlives a few missed runs of the 2-hourly job; a user gone this long is computed on read again. */
export const PROFILE_TTL_SECONDS = 30 * 24 * 3600;
const RECENT_ITEMS = 20;
const TOP_PREFERENCES = 10;

/** `lemo:{t}:uprofile:{user}`: one profile per user, across scenarios, as GET /users/{id}/profile shows it. */
export const profileKey = (tenantId: string, userId: string): string => cacheKey(tenantId, 'uprofile', keyPart(userId));

/** Stored profiles in the Cache (a Redis string on the cluster profile); separate from the FeatureStore's real-time counters. */
@Injectable()
export class StoredProfiles {
  constructor(private readonly cache: Cache) {}

  get(tenantId: string, userId: string): Promise<StoredUserProfile | null> {
    return this.cache.get<StoredUserProfile>(profileKey(tenantId, userId));
  }

  put(tenantId: string, profile: StoredUserProfile): Promise<void> {
    return this.cache.set(profileKey(tenantId, profile.user_id), profile, PROFILE_TTL_SECONDS);
  }

  delete(tenantId: string, userId: string): Promise<void> {
    return this.cache.delete(profileKey(tenantId, userId));
  }
}

const itemKey = (scenarioId: string, itemId: string): string => `${scenarioId}\u0000${itemId}`;

/** Items of events, by (scenario, item), as `itemsOf` loads them. */
export type EventItems = ReadonlyMap<string, Item>;
export const eventItem = (items: EventItems, event: Pick<BehaviorEvent, 'scenario_id' | 'item_id'>): Item | undefined => items.get(itemKey(event.scenario_id, event.item_id));
export const eventItemKey = itemKey;

/** The profile of `events` (newest first, as recentByUser returns them). */
export function profileOf(userId: string, events: readonly BehaviorEvent[], items: EventItems, computedAt: number): StoredUserProfile {
  const profile: StoredUserProfile = {
    user_id: userId,
    computed_at: computedAt,
    total_events: 0,
    action_counts: {},
    category_counts: {},
    tag_counts: {},
    active_hours: new Array<number>(24).fill(0),
    recent_items: [],
    first_seen_at: null,
    last_seen_at: null,
    last_event_ids: [],
  };
  return addEvents(profile, events, items, computedAt);
}

/**
 * `profile` with `newer` (newest first, all at or after its last_seen_at) added:
 * counts summed, recent items and the last-seen marks moved forward. Events
 * already counted (last_event_ids) are skipped, so a merge is never double.
 */
export function addEvents(profile: StoredUserProfile, newer: readonly BehaviorEvent[], items: EventItems, computedAt = profile.computed_at): StoredUserProfile {
  const counted = new Set(profile.last_event_ids);
  const fresh = newer.filter((event) => !counted.has(event.event_id));
  if (fresh.length === 0) return profile;
  const merged: StoredUserProfile = {
    ...profile,
    computed_at: computedAt,
    action_counts: { ...profile.action_counts },
    category_counts: { ...profile.category_counts },
    tag_counts: { ...profile.tag_counts },
    active_hours: [...profile.active_hours],
  };
  for (const event of fresh) {
    merged.total_events++;
    increment(merged.action_counts, event.action_type);
    merged.active_hours[new Date(event.timestamp).getUTCHours()] += 1;
    const item = eventItem(items, event);
    if (!item || !isPositiveAction(event.action_type as ActionType)) continue;
    const category = itemCategory(item);
    if (category) increment(merged.category_counts, category);
    for (const tag of itemTags(item)) increment(merged.tag_counts, tag);
  }
  const newest = Math.max(...fresh.map((e) => e.timestamp));
  const oldest = Math.min(...fresh.map((e) => e.timestamp));
  const sameInstant = newest === profile.last_seen_at ? profile.last_event_ids : [];
  merged.last_seen_at = profile.last_seen_at === null ? newest : Math.max(profile.last_seen_at, newest);
  merged.first_seen_at = profile.first_seen_at === null ? oldest : Math.min(profile.first_seen_at, oldest);
  merged.last_event_ids =
    merged.last_seen_at === newest ? [...sameInstant, ...fresh.filter((e) => e.timestamp === newest).map((e) => e.event_id)] : profile.last_event_ids;
  const recent = fresh.map((e) => ({ item_id: e.item_id, action_type: e.action_type, timestamp: e.timestamp }));
  merged.recent_items = [...recent, ...profile.recent_items].sort((a, b) => b.timestamp - a.timestamp).slice(0, RECENT_ITEMS);
  return merged;
}

/** The wire shape: counts turned into shares of the total, highest first, top 10. */
export function toUserProfile(tenantId: string, profile: StoredUserProfile): UserProfile {
  return {
    tenant_id: tenantId,
    user_id: profile.user_id,
    total_events: profile.total_events,
    action_counts: profile.action_counts,
    preferred_categories: shares(profile.category_counts).map(([category, score]) => ({ category, score })),
    preferred_tags: shares(profile.tag_counts).map(([tag, score]) => ({ tag, score })),
    active_hours: profile.active_hours,
    recent_items: profile.recent_items,
    first_seen_at: profile.first_seen_at,
    last_seen_at: profile.last_seen_at,
  };
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

function shares(counts: Record<string, number>): Array<[string, number]> {
  const entries = Object.entries(counts);
  const total = entries.reduce((sum, [, count]) => sum + count, 0) || 1;
  return entries
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, TOP_PREFERENCES)
    .map(([key, count]) => [key, Math.round((count / total) * 1000) / 1000]);
}
