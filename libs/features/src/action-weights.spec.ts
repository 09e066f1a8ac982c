import { eventWeight, isActionType, positiveWeight } from './action-weights';

describe('action weights', () => {
  it('eventWeight uses the scenario override, else the contract default', () => {
    expect(eventWeight('purchase', { action_weights: {} })).toBe(8);
    expect(eventWeight('purchase', { action_weights: { purchase: 20 } })).toBe(20);
    expect(eventWeight('click', { action_weights: { click: 0 } })).toBe(0);
  });

  it('positiveWeight ignores negatives, zero weights and unknown actions', () => {
    expect(positiveWeight('like')).toBe(3);
    expect(positiveWeight('dislike')).toBe(0);
    expect(positiveWeight('impression')).toBe(0);
    expect(positiveWeight('impression', { impression: 0.5 })).toBe(0.5);
    expect(positiveWeight('dislike', { dislike: 5 })).toBe(0);
    expect(positiveWeight('view', { view: -1 })).toBe(0);
    expect(positiveWeight('teleport')).toBe(0);
    expect(positiveWeight('toString')).toBe(0);
  });

  it('isActionType accepts only contract actions', () => {
    expect(isActionType('add_cart')).toBe(true);
    expect(isActionType('constructor')).toBe(false);
  });
});
