import type { ActionType, RecallStrategyConfig, RecentInteraction } from '@lemo/domain';
import type { UserContext } from '@lemo/features';

export const NOW = Date.UTC(2026, 0, 15);
export const HOUR = 3_600_000;

/** A user context of tenant t1 / scenario s1 at NOW. */
export function userContext(recent: RecentInteraction[] = [], overrides: Partial<UserContext> = {}): UserContext {
  return { tenantId: 't1', scenarioId: 's1', userId: 'u1', recent, now: NOW, ...overrides };
}

/** An interaction `hoursAgo` before NOW. */
export function interaction(itemId: string, actionType: ActionType, hoursAgo = 1): RecentInteraction {
  return { item_id: itemId, scenario_id: 's1', action_type: actionType, timestamp: NOW - hoursAgo * HOUR };
}

export function strategyConfig(name: string, overrides: Partial<RecallStrategyConfig> = {}): RecallStrategyConfig {
  return { name, weight: 1, limit: 100, timeout_ms: 50, params: {}, ...overrides };
}
