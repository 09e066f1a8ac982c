import { actionFilter, behaviorEventInputSchema, checkAnalyticsFilter, DomainError, firstOccurrences } from '../src/index';
import { AnalyticsReference, generatedBehaviors } from './analytics-reference';
import { anEvent, FIXTURE_EPOCH } from './fixtures';

const HOUR = 3_600_000;
const E = FIXTURE_EPOCH;

function fieldOf(action: () => void): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof DomainError ? error.issues[0]?.field : 'not a DomainError';
  }
  return undefined;
}

describe('AnalyticsStore port helpers', () => {
  it('checks filters the same way for every adapter, naming the field', () => {
    expect(fieldOf(() => checkAnalyticsFilter({ from: E, to: E }))).toBeUndefined();
    expect(fieldOf(() => checkAnalyticsFilter({ from: E, to: E - 1 }))).toBe('to');
    expect(fieldOf(() => checkAnalyticsFilter({ from: 1.5, to: E }))).toBe('from');
    expect(fieldOf(() => checkAnalyticsFilter({ from: E, to: E + 1, granularity: 'week' }))).toBe('granularity');
    expect(fieldOf(() => checkAnalyticsFilter({ from: E, to: E + 1, granularity: 'day', limit: 1000 }))).toBeUndefined();
    expect(fieldOf(() => checkAnalyticsFilter({ from: E, to: E + 1, limit: 2.5 }))).toBe('limit');
  });

  it('treats a missing or empty action list as every action, and drops repeats', () => {
    expect(actionFilter(undefined)).toBeUndefined();
    expect(actionFilter([])).toBeUndefined();
    expect(actionFilter(['click', 'like', 'click'])).toEqual(['click', 'like']);
  });

  it('keeps the first occurrence of an event id per tenant', () => {
    const batch = [
      anEvent('acme', { event_id: 'e1', action_type: 'click' }),
      anEvent('globex', { event_id: 'e1' }),
      anEvent('acme', { event_id: 'e1', action_type: 'like' }),
    ];
    expect(firstOccurrences(batch)).toEqual([batch[0], batch[1]]);
  });
});

// The contract suite trusts this reference on generated data: it must itself match hand-counted answers.
describe('AnalyticsReference', () => {
  const reference = new AnalyticsReference([
    anEvent('acme', { event_id: 'a', user_id: 'u1', item_id: 'i1', timestamp: E, experiment_id: 'x', experiment_group: 'b' }),
    anEvent('acme', { event_id: 'a', user_id: 'u9', item_id: 'i9', timestamp: E }),
    anEvent('acme', { event_id: 'b', user_id: 'u2', item_id: 'i1', timestamp: E + HOUR + 5, action_type: 'like', experiment_id: 'x' }),
    anEvent('acme', { event_id: 'c', user_id: 'u1', item_id: 'i2', timestamp: E + HOUR + 6 }),
    anEvent('globex', { event_id: 'a', user_id: 'u1', timestamp: E }),
  ]);
  const range = { from: E, to: E + 2 * HOUR };

  it('answers every query as the port documents it', () => {
    expect(reference.count('acme')).toBe(3);
    expect(reference.actionStats('acme', range)).toEqual([
      { action_type: 'click', events: 2, users: 1 },
      { action_type: 'like', events: 1, users: 1 },
    ]);
    expect(reference.trend('acme', { ...range, granularity: 'hour', actions: ['click'] })).toEqual([
      { bucket_start: E, action_type: 'click', events: 1, users: 1 },
      { bucket_start: E + HOUR, action_type: 'click', events: 1, users: 1 },
    ]);
    expect(reference.topItems('acme', { ...range, scenarioId: 'home', limit: 5 })).toEqual([
      { item_id: 'i1', events: 2, users: 2 },
      { item_id: 'i2', events: 1, users: 1 },
    ]);
    expect(reference.experimentStats('acme', 'x', range)).toEqual([{ experiment_group: 'b', action_type: 'click', events: 1, users: 1 }]);
    expect(reference.withoutUser('acme', 'u1').actionStats('acme', range)).toEqual([{ action_type: 'like', events: 1, users: 1 }]);
    expect(reference.withoutUser('acme', 'u1').count('globex')).toBe(1);
  });

  it('generates events the domain accepts, deterministically', () => {
    const options = { count: 50, start: Date.now() - HOUR, spanMs: HOUR, seed: 1 };
    const events = generatedBehaviors('acme', options);
    expect(generatedBehaviors('acme', options)).toEqual(events);
    for (const { tenant_id: _tenant, received_at: _received, ...input } of events) expect(behaviorEventInputSchema.safeParse(input).success).toBe(true);
  });
});
