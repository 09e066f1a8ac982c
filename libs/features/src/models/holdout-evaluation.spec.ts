import { InteractionLog } from '../similarity/interaction-log';
import { buildUserItemMatrix } from '../similarity/user-item-matrix';
import { evaluateHoldout, holdOutLastItems } from './holdout-evaluation';
import type { ImplicitModel } from './implicit-model';
import { decodeTrainedModel, encodeTrainedModel } from './trained-model';

function logOf(events: Array<[user: number, item: number]>): InteractionLog {
  const log = new InteractionLog(4);
  for (const [user, item] of events) log.push(user, item, 1);
  return log;
}

/** Scores item i as `ranking[i]` for everyone: a model whose ranks are known in advance. */
const fixedModel = (ranking: number[]): ImplicitModel => ({
  algorithm: 'fixed',
  items: ranking.length,
  scoreUser: (_user, _history, out) => out.set(ranking),
});

describe('holdOutLastItems', () => {
  it("holds out each sampled user's latest item, with every event on it, and keeps the rest", () => {
    // user 0: 1, 2, 1, 3 (latest 3); user 1: only two events (too few); user 2: 4, 5, 4 (latest 4, also earlier).
    const log = logOf([[0, 1], [2, 4], [0, 2], [1, 1], [2, 5], [0, 1], [1, 2], [0, 3], [2, 4]]);
    const holdout = holdOutLastItems(log, 3, 10);
    expect([...holdout.users]).toEqual([0, 2]);
    expect([...holdout.items]).toEqual([3, 4]);
    const kept = Array.from({ length: holdout.train.length }, (_, e) => [holdout.train.users[e], holdout.train.items[e]]);
    expect(kept).toEqual([[0, 1], [0, 2], [1, 1], [2, 5], [0, 1], [1, 2]]);
  });

  it('samples at most maxUsers, spread over the users, and drops users left without history', () => {
    const events: Array<[number, number]> = [];
    for (let user = 0; user < 100; user++) for (let k = 0; k < 3; k++) events.push([user, user % 2 === 0 ? k : 7]);
    const holdout = holdOutLastItems(logOf(events), 100, 10);
    // Odd users touched only item 7: holding it out leaves them nothing to be scored from.
    expect([...holdout.users].every((user) => user % 2 === 0)).toBe(true);
    expect(holdout.users.length).toBeGreaterThan(0);
    expect(holdout.users.length).toBeLessThanOrEqual(10);
  });
});

describe('evaluateHoldout', () => {
  it('ranks the held-out item among items the user has not trained on: hit rate and NDCG at 10', () => {
    // User 0 trained on item 0 (the best-scored item, so excluded); held-out item 2 is then 2nd: NDCG 1/log2(3).
    const matrix = buildUserItemMatrix(logOf([[0, 0], [1, 0]]), 2, 12, 100);
    const ranking = [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    const metrics = evaluateHoldout(fixedModel(ranking), matrix, { users: Int32Array.of(0, 1), items: Int32Array.of(2, 11) });
    expect(metrics.holdout_users).toBe(2);
    expect(metrics.hit_rate_at_10).toBe(0.5);
    expect(metrics.ndcg_at_10).toBeCloseTo(1 / Math.log2(3) / 2, 10);
  });
});

describe('trained model artifact', () => {
  it('round-trips the header and the model bytes', () => {
    const header = { algorithm: 'als', item_ids: ['a', 'é'], user_ids: ['u1'], params: { factors: 8 }, metrics: { ndcg_at_10: 0.5 }, trained_at: '2026-01-01T00:00:00.000Z' };
    const bytes = encodeTrainedModel(header, Uint8Array.of(0, 255, 128));
    const decoded = decodeTrainedModel(bytes.subarray(0));
    expect(decoded.header).toEqual(header);
    expect([...decoded.model]).toEqual([0, 255, 128]);
    expect(() => decodeTrainedModel(Uint8Array.of(1, 2, 3))).toThrow(/bad magic/);
  });
});
