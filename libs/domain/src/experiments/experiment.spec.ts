import { createExperimentSchema } from './experiment';

const body = {
  experiment_id: 'exp-1',
  scenario_id: 'home',
  name: 'Bigger recall',
  variants: [
    { variant_id: 'control', name: 'Control', traffic_percent: 50, is_control: true },
    { variant_id: 'b', name: 'B', traffic_percent: 50 },
  ],
};

describe('createExperimentSchema', () => {
  it('defaults to the whole layer, no holdout and no targeting', () => {
    const parsed = createExperimentSchema.parse(body);
    expect(parsed.layer).toBe('default');
    expect(parsed.layer_slice).toEqual({ from_percent: 0, to_percent: 100 });
    expect(parsed.holdout_percent).toBe(0);
    expect(parsed.targeting).toEqual([]);
  });

  it('accepts a layer slice, a holdout and targeting conditions', () => {
    const parsed = createExperimentSchema.parse({
      ...body,
      layer: 'ranking',
      layer_slice: { from_percent: 20, to_percent: 45.5 },
      holdout_percent: 5,
      targeting: [{ field: 'country', op: 'in', value: ['DE', 'AT'] }],
    });
    expect(parsed.layer_slice).toEqual({ from_percent: 20, to_percent: 45.5 });
    expect(parsed.targeting).toEqual([{ field: 'country', op: 'in', value: ['DE', 'AT'] }]);
  });

  it.each([
    ['an empty slice', { layer_slice: { from_percent: 40, to_percent: 40 } }],
    ['a slice beyond 100%', { layer_slice: { from_percent: 50, to_percent: 120 } }],
    ['a 100% holdout', { holdout_percent: 100 }],
    ['an unknown operator', { targeting: [{ field: 'country', op: 'like', value: 'D%' }] }],
  ])('rejects %s', (_, overrides) => {
    expect(createExperimentSchema.safeParse({ ...body, ...overrides }).success).toBe(false);
  });
});
