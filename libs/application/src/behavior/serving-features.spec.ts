import { defaultScenarioConfig, type BehaviorEvent, type Scenario } from '@lemo/domain';
import { servingFeatureChanges } from './serving-features';

const HOUR = 3_600_000;
const NOW = 1_800_000_000_000;

function scenario(id: string, realtime: Partial<Scenario['config']['realtime']> = {}): Scenario {
  const config = defaultScenarioConfig();
  return { scenario_id: id, config: { ...config, realtime: { ...config.realtime, ...realtime } } } as Scenario;
}

const event = (n: number, fields: Partial<BehaviorEvent>): BehaviorEvent =>
  ({ tenant_id: 'acme', event_id: `e${n}`, scenario_id: 'feed', user_id: 'u1', item_id: `i${n}`, action_type: 'click', timestamp: NOW, received_at: NOW, ...fields }) as BehaviorEvent;

describe('servingFeatureChanges', () => {
  const scenarios = new Map([
    ['feed', scenario('feed', { window_hours: 24, decay_half_life_hours: 6, action_weights: { click: 2 } })],
    ['shop', scenario('shop', { window_hours: 48, decay_half_life_hours: 12 })],
  ]);
  const of = (events: BehaviorEvent[]) => servingFeatureChanges('acme', events, (id) => scenarios.get(id), NOW);

  it("weighs each event by its scenario's action weights and groups the increments by half-life", () => {
    const { hotByHalfLife } = of([event(1, {}), event(2, { scenario_id: 'shop', action_type: 'purchase' }), event(3, { scenario_id: 'shop', action_type: 'click' })]);
    expect([...hotByHalfLife.keys()].sort((a, b) => a - b)).toEqual([6, 12]);
    expect(hotByHalfLife.get(6)).toEqual([{ tenantId: 'acme', scenarioId: 'feed', itemId: 'i1', weight: 2, at: NOW }]);
    // No override in shop: the contract's default weights (purchase 8, click 1).
    expect(hotByHalfLife.get(12)?.map((i) => [i.itemId, i.weight])).toEqual([
      ['i2', 8],
      ['i3', 1],
    ]);
  });

  it('counts only events inside the scenario window towards hot scores, but records every one as a recent interaction', () => {
    const { hotByHalfLife, recentByUser } = of([event(1, { timestamp: NOW - 23 * HOUR }), event(2, { timestamp: NOW - 25 * HOUR }), event(3, { scenario_id: 'shop', timestamp: NOW - 25 * HOUR })]);
    expect(hotByHalfLife.get(6)?.map((i) => i.itemId)).toEqual(['i1']);
    expect(hotByHalfLife.get(12)?.map((i) => i.itemId)).toEqual(['i3']);
    expect(recentByUser.get('u1')?.map((r) => r.item_id)).toEqual(['i1', 'i2', 'i3']);
  });

  it('adds no hot score for zero-weight or unknown actions, and ignores events of a scenario that is gone', () => {
    const { hotByHalfLife, recentByUser } = of([
      event(1, { action_type: 'impression' }),
      event(2, { action_type: 'teleport' as BehaviorEvent['action_type'] }),
      event(3, { scenario_id: 'deleted', user_id: 'u2' }),
    ]);
    expect(hotByHalfLife.size).toBe(0);
    expect(recentByUser.get('u1')?.map((r) => [r.item_id, r.action_type])).toEqual([
      ['i1', 'impression'],
      ['i2', 'teleport'],
    ]);
    expect(recentByUser.has('u2')).toBe(false);
  });

  it("keeps each user's interactions apart and in event order", () => {
    const { recentByUser } = of([event(1, { user_id: 'a' }), event(2, { user_id: 'b' }), event(3, { user_id: 'a', action_type: 'like' })]);
    expect(recentByUser.get('a')).toEqual([
      { item_id: 'i1', scenario_id: 'feed', action_type: 'click', timestamp: NOW },
      { item_id: 'i3', scenario_id: 'feed', action_type: 'like', timestamp: NOW },
    ]);
    expect(recentByUser.get('b')?.map((r) => r.item_id)).toEqual(['i2']);
  });
});
