import { createExperimentSchema, itemMetadataSchema, scenarioConfigSchema, tenantIdSchema, trackingSchemaBodySchema } from '../src/index';
import { aScenario, anEvent, anExperiment, anItem, aTenant, aTrackingSchema } from './fixtures';
import { bruteForceTopK, cosine, plantedClusters } from './planted-vectors';

// The contract suites are only as good as their data: fixtures must be documents the domain accepts.
describe('contract fixtures', () => {
  it('builds tenants with valid ids', () => {
    expect(tenantIdSchema.safeParse(aTenant('acme').tenant_id).success).toBe(true);
  });

  it('builds scenarios whose config the config schema accepts unchanged', () => {
    const { config } = aScenario('acme', 'home');
    expect(scenarioConfigSchema.parse(config)).toEqual(config);
  });

  it('builds experiments the create schema accepts', () => {
    const { experiment_id, scenario_id, name, description, hypothesis, layer, variants, min_sample_size, confidence_level } = anExperiment('acme', 'exp1');
    expect(
      createExperimentSchema.safeParse({ experiment_id, scenario_id, name, description, hypothesis, layer, variants, min_sample_size, confidence_level })
        .success,
    ).toBe(true);
  });

  it('builds items with valid metadata and tracking schemas with valid bodies', () => {
    expect(itemMetadataSchema.safeParse(anItem('acme', 'home', 'i1').metadata).success).toBe(true);
    const { allowed_actions, fields, mode } = aTrackingSchema('acme', 'home');
    expect(trackingSchemaBodySchema.safeParse({ allowed_actions, fields, mode }).success).toBe(true);
  });

  it('gives every event a fresh id unless one is given', () => {
    expect(anEvent('acme').event_id).not.toBe(anEvent('acme').event_id);
    expect(anEvent('acme', { event_id: 'fixed' }).event_id).toBe('fixed');
  });
});

describe('planted vectors', () => {
  it('are reproducible from their seed and cluster around their axis', () => {
    const data = plantedClusters(8, 3, 10);
    expect(plantedClusters(8, 3, 10)).toEqual(data);
    for (const entry of data) {
      const axis = Array.from({ length: 8 }, (_, i) => (i === entry.cluster ? 1 : 0));
      expect(cosine(entry.vector, axis)).toBeGreaterThan(0.8);
    }
  });

  it('have an exact top-k that honours exclusions', () => {
    const data = plantedClusters(8, 3, 10);
    const top = bruteForceTopK(data, data[0].vector, 3, new Set(['c0-1']));
    expect(top[0]).toBe('c0-0');
    expect(top).not.toContain('c0-1');
    expect(top).toHaveLength(3);
  });
});
