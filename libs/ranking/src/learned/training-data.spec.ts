import type { ActionType } from '@lemo/domain';
import { buildTrainingData, withStatistics, type TrainingEvent } from './training-data';
import type { RankingItem } from './ranking-example';

const items: RankingItem[] = ['a', 'b', 'c', 'd', 'e', 'f'].map((id, i) => ({ itemId: id, category: i < 3 ? 'x' : 'y' }));
const at = (minute: number): number => 1_700_000_000_000 + minute * 60_000;
const event = (user: string, item: string, action: ActionType, minute: number): TrainingEvent => ({ user_id: user, item_id: item, action_type: action, timestamp: at(minute) });

describe('buildTrainingData', () => {
  it('uses impressions without positive feedback (and dislikes) as negatives when the tenant logs impressions', () => {
    const events = [
      event('u1', 'a', 'impression', 0),
      event('u1', 'a', 'click', 1),
      event('u1', 'b', 'impression', 2),
      event('u1', 'c', 'dislike', 3),
      event('u1', 'zzz', 'click', 4), // unknown item: skipped
      event('u2', 'd', 'purchase', 5),
      event('u2', 'd', 'impression', 6),
    ];
    const data = buildTrainingData(events, items, { testFraction: 0, validationFraction: 0, unknownUserRate: 0 });
    expect(data.negativesFrom).toBe('impressions');
    expect(data.train.map((e) => [e.user.userId, e.item.itemId, e.label])).toEqual([
      ['u1', 'a', 1],
      ['u1', 'b', 0],
      ['u1', 'c', 0],
      ['u2', 'd', 1],
    ]);
  });

  it('samples k negatives per positive, never the user’s own positives, when there are no impressions', () => {
    const events = [event('u1', 'a', 'click', 0), event('u1', 'b', 'like', 1), event('u2', 'a', 'view', 2)];
    const data = buildTrainingData(events, items, { negativesPerPositive: 3, testFraction: 0, validationFraction: 0, unknownUserRate: 0 });
    expect(data.negativesFrom).toBe('sampled');
    expect(data.train.filter((e) => e.label === 1)).toHaveLength(3);
    const negatives = data.train.filter((e) => e.label === 0);
    expect(negatives).toHaveLength(9);
    for (const n of negatives.filter((e) => e.user.userId === 'u1')) expect(['a', 'b']).not.toContain(n.item.itemId);
  });

  it('holds out the latest interactions and fits statistics on the train part only', () => {
    // Distinct (user, item) pairs: u0 and u1 click a, b, c, d, e in turn, one event a minute.
    const events = Array.from({ length: 10 }, (_, i) => event(`u${i % 2}`, items[Math.floor(i / 2)].itemId, 'click', i));
    const data = buildTrainingData(events, items, { negativesPerPositive: 1, testFraction: 0.2, validationFraction: 0.25, unknownUserRate: 0 });
    const latestTrain = Math.max(...[...data.train, ...data.validation].map((e) => e.moment.timestamp));
    expect(Math.min(...data.test.map((e) => e.moment.timestamp))).toBeGreaterThan(latestTrain);
    expect(data.cutoff).toBe(at(8));
    expect(data.test.filter((e) => e.label === 1)).toHaveLength(2);
    expect(data.validation.filter((e) => e.label === 1)).toHaveLength(2);
    // Minutes 8 and 9 (item e) are held out, 6 and 7 (item d) validate: statistics see minutes 0-5.
    expect(data.statistics.itemPopularity).toEqual({ a: 2, b: 2, c: 2 });
    expect(data.statistics.userActivity).toEqual({ u0: 3, u1: 3 });
  });

  it('splits per user when asked, so every user with history is in both parts', () => {
    const events = Array.from({ length: 12 }, (_, i) => event(`u${i % 2}`, items[Math.floor(i / 2)].itemId, 'click', i));
    const data = buildTrainingData(events, items, { negativesPerPositive: 0, split: 'per_user', testFraction: 0.2, validationFraction: 0, unknownUserRate: 0 });
    expect(data.cutoff).toBeNull();
    expect(new Set(data.test.map((e) => e.user.userId))).toEqual(new Set(['u0', 'u1']));
    expect(data.test).toHaveLength(4);
  });

  it('counts each example’s user profile from the user’s earlier positives only', () => {
    const events = [event('u1', 'a', 'click', 0), event('u1', 'b', 'click', 1), event('u1', 'd', 'impression', 2), event('u1', 'e', 'click', 3)];
    const data = buildTrainingData(events, items, { testFraction: 0, validationFraction: 0, unknownUserRate: 0 });
    expect(data.train.map((e) => [e.item.itemId, e.user.activity, e.user.topCategory])).toEqual([
      ['a', 0, undefined],
      ['b', 1, 'x'],
      ['d', 2, 'x'],
      ['e', 2, 'x'],
    ]);
    const windowed = buildTrainingData(events, items, { testFraction: 0, validationFraction: 0, unknownUserRate: 0, userProfile: 'training_window' });
    expect(windowed.train.map((e) => e.user.activity)).toEqual([3, 3, 3, 3]);
  });

  it('encodes users without training positives as unknown', () => {
    const statistics = { itemPopularity: { a: 3 }, userActivity: { u1: 2 }, userTopCategory: { u1: 'x' } };
    expect(withStatistics('u1', items[0], statistics).user).toEqual({ userId: 'u1', topCategory: 'x', activity: 2 });
    expect(withStatistics('new', items[0], statistics).user).toEqual({ userId: null, topCategory: undefined, activity: 0 });
    expect(withStatistics(null, items[0], statistics).item.popularity).toBe(3);
  });
});
