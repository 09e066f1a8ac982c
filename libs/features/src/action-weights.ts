import { ACTION_TYPES, NEGATIVE_ACTIONS, type ActionType, type ActionWeights, type ScenarioConfig } from '@lemo/domain';

export const isActionType = (value: string): value is ActionType => Object.prototype.hasOwnProperty.call(ACTION_TYPES, value);

/** The scenario's override for this action when it has one, else the contract's default weight. */
export function eventWeight(action: ActionType, realtime: Pick<ScenarioConfig['realtime'], 'action_weights'>): number {
  return realtime.action_weights[action] ?? ACTION_TYPES[action].weight;
}

/**
 * Weight of a stored interaction as implicit positive feedback: 0 for unknown
 * actions, explicit negatives (dislike, not_interest) and anything whose
 * (possibly overridden) weight is not positive.
 */
export function positiveWeight(action: string, overrides: ActionWeights = {}): number {
  if (!isActionType(action) || NEGATIVE_ACTIONS.has(action)) return 0;
  const weight = eventWeight(action, { action_weights: overrides });
  return weight > 0 ? weight : 0;
}
