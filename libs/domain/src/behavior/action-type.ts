/**
 * The 28 behaviour actions of the lemo.recommender.v1 contract, with their
 * wire numbers (ActionType enum) and default weights for hot scores and
 * implicit feedback. Weights are per-scenario overridable in the real-time config.
 */
export const ACTION_TYPES = {
  impression: { wire: 1, weight: 0, positive: false },
  click: { wire: 2, weight: 1, positive: true },
  view: { wire: 3, weight: 1, positive: true },
  play: { wire: 10, weight: 1, positive: true },
  play_end: { wire: 11, weight: 2, positive: true },
  read: { wire: 12, weight: 1, positive: true },
  read_end: { wire: 13, weight: 2, positive: true },
  learn: { wire: 14, weight: 1, positive: true },
  complete: { wire: 15, weight: 3, positive: true },
  like: { wire: 20, weight: 3, positive: true },
  dislike: { wire: 21, weight: -3, positive: false },
  favorite: { wire: 22, weight: 4, positive: true },
  share: { wire: 23, weight: 5, positive: true },
  comment: { wire: 24, weight: 4, positive: true },
  follow: { wire: 25, weight: 4, positive: true },
  add_cart: { wire: 30, weight: 4, positive: true },
  order: { wire: 31, weight: 6, positive: true },
  payment: { wire: 32, weight: 8, positive: true },
  purchase: { wire: 33, weight: 8, positive: true },
  not_interest: { wire: 40, weight: -5, positive: false },
  pause: { wire: 41, weight: 0, positive: false },
  repeat: { wire: 42, weight: 3, positive: true },
  download: { wire: 43, weight: 4, positive: true },
  trial: { wire: 44, weight: 2, positive: true },
  note: { wire: 45, weight: 3, positive: true },
  ask: { wire: 46, weight: 2, positive: true },
  review: { wire: 47, weight: 3, positive: true },
  add_playlist: { wire: 48, weight: 4, positive: true },
} as const satisfies Record<string, { wire: number; weight: number; positive: boolean }>;

export type ActionType = keyof typeof ACTION_TYPES;
export const ACTION_TYPE_NAMES = Object.keys(ACTION_TYPES) as [ActionType, ...ActionType[]];

/** Actions that say "do not show me this" and exclude an item from this user's recommendations. */
export const NEGATIVE_ACTIONS: ReadonlySet<ActionType> = new Set(['dislike', 'not_interest']);

export const defaultActionWeight = (action: ActionType): number => ACTION_TYPES[action].weight;
export const isPositiveAction = (action: ActionType): boolean => ACTION_TYPES[action].positive;
