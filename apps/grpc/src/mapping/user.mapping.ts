import type { RecentInteraction, User, UserProfile } from '@lemo/domain';
import { recommender } from '@lemo/contracts';
import { timestampOf } from './proto-values';

/**
 * The profile UsersUseCase derives from the user's newest events (all scenarios of the tenant).
 * Counts come from the action counts; `active_hours` lists the UTC hours with activity, busiest
 * first; the per-hour counts, scores and the stored attributes are in `features`. The platform
 * tracks no disliked tags or weekdays, so those stay empty.
 */
export function userProfileMessage(profile: UserProfile, user: User | null, scenarioId: string): recommender.UserProfile {
  const count = (action: string) => profile.action_counts[action] ?? 0;
  const activeHours = profile.active_hours
    .map((events, hour) => ({ hour, events }))
    .filter((entry) => entry.events > 0)
    .sort((a, b) => b.events - a.events || a.hour - b.hour)
    .map((entry) => entry.hour);
  return recommender.UserProfile.fromPartial({
    id: profile.user_id,
    tenant_id: profile.tenant_id,
    scenario_id: scenarioId,
    user_id: profile.user_id,
    view_count: count('view'),
    like_count: count('like'),
    favorite_count: count('favorite'),
    share_count: count('share'),
    preferred_tags: profile.preferred_tags.map((entry) => entry.tag),
    preferred_categories: profile.preferred_categories.map((entry) => entry.category),
    active_hours: activeHours,
    features: {
      attributes: user?.attributes ?? {},
      total_events: profile.total_events,
      action_counts: profile.action_counts,
      preferred_categories: profile.preferred_categories,
      preferred_tags: profile.preferred_tags,
      active_hour_counts: profile.active_hours,
      recent_items: profile.recent_items,
      first_seen_at: profile.first_seen_at,
      last_seen_at: profile.last_seen_at,
    },
    created_at: user ? timestampOf(user.created_at) : undefined,
    updated_at: user ? timestampOf(user.updated_at) : undefined,
  });
}

/** Recent interactions (of one scenario when given) split the way the contract names them. */
export function realtimeFeaturesMessage(
  features: { user_id: string; recent_items: RecentInteraction[]; recent_action_counts: Record<string, number> },
  scenarioId: string | undefined,
  now: number,
): recommender.UserRealtimeFeatures {
  const recent = scenarioId ? features.recent_items.filter((item) => item.scenario_id === scenarioId) : features.recent_items;
  const itemsWith = (action: string) => recent.filter((item) => item.action_type === action).map((item) => item.item_id);
  return recommender.UserRealtimeFeatures.fromPartial({
    user_id: features.user_id,
    recent_view_count: itemsWith('view').length,
    recent_viewed_items: itemsWith('view'),
    recent_liked_items: itemsWith('like'),
    realtime_features: { recent_items: recent, recent_action_counts_all_scenarios: features.recent_action_counts },
    timestamp: now,
  });
}
