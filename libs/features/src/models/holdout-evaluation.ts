import { InteractionLog } from '../similarity/interaction-log';
import type { UserItemMatrix } from '../similarity/user-item-matrix';
import { historyOf, type ImplicitModel } from './implicit-model';

/** Each sampled user's last item, held out of training to measure the model on. */
export interface LastItemHoldout {
  /** The log without any event of a held-out (user, item) pair. */
  train: InteractionLog;
  users: Int32Array;
  items: Int32Array;
}

/**
 * Leave-last-out on a deterministic sample: up to `maxUsers` users (spread
 * evenly over the index range) with at least `minEvents` positive events each
 * lose every event on their latest item. The log is in time order, so a
 * user's last event names their latest item.
 */
export function holdOutLastItems(log: InteractionLog, userCount: number, maxUsers: number, minEvents = 3): LastItemHoldout {
  const lastItem = new Int32Array(userCount).fill(-1);
  const eventCount = new Int32Array(userCount);
  for (let e = 0; e < log.length; e++) {
    lastItem[log.users[e]] = log.items[e];
    eventCount[log.users[e]]++;
  }
  const eligible: number[] = [];
  for (let u = 0; u < userCount; u++) if (eventCount[u] >= minEvents) eligible.push(u);
  const stride = Math.max(1, eligible.length / Math.max(1, maxUsers));
  const held = new Int32Array(userCount).fill(-1);
  const users: number[] = [];
  for (let s = 0; s < eligible.length && users.length < maxUsers; s += stride) {
    const user = eligible[Math.floor(s)];
    held[user] = lastItem[user];
    users.push(user);
  }
  const train = new InteractionLog(Math.max(1, log.length));
  const trainEvents = new Int32Array(userCount);
  for (let e = 0; e < log.length; e++) {
    if (held[log.users[e]] === log.items[e]) continue;
    train.push(log.users[e], log.items[e], log.weights[e]);
    trainEvents[log.users[e]]++;
  }
  // A user whose events were all on the held-out item has no history left to be scored from.
  const kept = users.filter((user) => trainEvents[user] > 0);
  return { train, users: Int32Array.from(kept), items: Int32Array.from(kept, (user) => held[user]) };
}

export interface HoldoutMetrics {
  hit_rate_at_10: number;
  ndcg_at_10: number;
  holdout_users: number;
}

/**
 * Where each held-out item ranks among all items the user has not interacted
 * with in training: hit rate and NDCG (one relevant item: 1 / log2(rank + 2)) at 10.
 */
export function evaluateHoldout(model: ImplicitModel, matrix: UserItemMatrix, holdout: Pick<LastItemHoldout, 'users' | 'items'>, cutoff = 10): HoldoutMetrics {
  const scores = new Float32Array(matrix.items);
  let hits = 0;
  let ndcg = 0;
  for (let h = 0; h < holdout.users.length; h++) {
    const user = holdout.users[h];
    const target = holdout.items[h];
    const history = historyOf(matrix, user);
    model.scoreUser(user, history, scores);
    for (const item of history.items) scores[item] = Number.NEGATIVE_INFINITY;
    // An item the model never saw in training cannot be ranked: a miss.
    if (target >= matrix.items) continue;
    const targetScore = scores[target];
    let rank = 0;
    for (let i = 0; i < matrix.items && rank < cutoff; i++) {
      if (scores[i] > targetScore || (scores[i] === targetScore && i < target)) rank++;
    }
    if (rank < cutoff) {
      hits++;
      ndcg += 1 / Math.log2(rank + 2);
    }
  }
  const n = Math.max(1, holdout.users.length);
  return { hit_rate_at_10: hits / n, ndcg_at_10: ndcg / n, holdout_users: holdout.users.length };
}
