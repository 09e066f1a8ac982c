import type { ActionType, BehaviorEvent } from '@lemo/domain';

let sequence = 0;

/** A stored behaviour event of tenant t1 / scenario s1 with only the fields the engine reads. */
export function behaviorEvent(
  userId: string,
  itemId: string,
  actionType: ActionType,
  timestamp: number,
  overrides: Partial<BehaviorEvent> = {},
): BehaviorEvent {
  sequence++;
  return {
    tenant_id: 't1',
    scenario_id: 's1',
    event_id: `e${sequence}`,
    user_id: userId,
    item_id: itemId,
    action_type: actionType,
    timestamp,
    received_at: timestamp,
    ...overrides,
  };
}

/** Events from (user, item, action) rows, timestamped 1, 2, 3… in row order. */
export function eventSequence(rows: ReadonlyArray<[userId: string, itemId: string, actionType: ActionType]>): BehaviorEvent[] {
  return rows.map(([userId, itemId, actionType], i) => behaviorEvent(userId, itemId, actionType, i + 1));
}
