import {
  DEFAULT_QUOTAS,
  scenarioConfigSchema,
  type ApiKey,
  type BehaviorEvent,
  type ConfigTemplate,
  type Dataset,
  type Experiment,
  type Item,
  type Model,
  type Scenario,
  type Tenant,
  type TrackingSchema,
  type User,
} from '../src/index';

/**
 * Builders of valid domain documents for contract suites. Every builder takes
 * the identifying fields and optional overrides; times are fixed offsets from
 * one base instant so tests can order documents deterministically.
 */
export const FIXTURE_EPOCH = Date.parse('2025-01-01T00:00:00.000Z');

/** ISO time `offsetMs` after the fixture epoch. */
export const isoAt = (offsetMs = 0): string => new Date(FIXTURE_EPOCH + offsetMs).toISOString();

export const aTenant = (tenantId: string, overrides: Partial<Tenant> = {}): Tenant => ({
  tenant_id: tenantId,
  name: `Tenant ${tenantId}`,
  status: 'active',
  quotas: { ...DEFAULT_QUOTAS },
  created_at: isoAt(),
  updated_at: isoAt(),
  ...overrides,
});

export const anApiKey = (tenantId: string, keyId: string, overrides: Partial<ApiKey> = {}): ApiKey => ({
  key_id: keyId,
  tenant_id: tenantId,
  name: `key ${keyId}`,
  key_hash: `sha256-${tenantId}-${keyId}`,
  prefix: keyId.slice(0, 8),
  scopes: ['read', 'write'],
  revoked: false,
  created_at: isoAt(),
  revoked_at: null,
  ...overrides,
});

export const aScenario = (tenantId: string, scenarioId: string, overrides: Partial<Scenario> = {}): Scenario => ({
  tenant_id: tenantId,
  scenario_id: scenarioId,
  name: `Scenario ${scenarioId}`,
  scenario_type: 'ecommerce',
  description: '',
  status: 'active',
  config: scenarioConfigSchema.parse({}),
  created_at: isoAt(),
  updated_at: isoAt(),
  ...overrides,
});

export const anExperiment = (tenantId: string, experimentId: string, overrides: Partial<Experiment> = {}): Experiment => ({
  tenant_id: tenantId,
  experiment_id: experimentId,
  scenario_id: 'home',
  name: `Experiment ${experimentId}`,
  description: '',
  hypothesis: 'variant B lifts CTR',
  status: 'draft',
  variants: [
    { variant_id: 'control', name: 'Control', traffic_percent: 50, is_control: true, config_overrides: {} },
    { variant_id: 'b', name: 'B', traffic_percent: 50, is_control: false, config_overrides: { recall: { total_limit: 300 } } },
  ],
  layer: 'default',
  min_sample_size: 1000,
  confidence_level: 0.95,
  started_at: null,
  ended_at: null,
  created_at: isoAt(),
  updated_at: isoAt(),
  ...overrides,
});

export const aModel = (tenantId: string, modelId: string, overrides: Partial<Model> = {}): Model => ({
  tenant_id: tenantId,
  model_id: modelId,
  name: `Model ${modelId}`,
  model_type: 'rank',
  algorithm: 'logistic_regression',
  scenario_id: 'home',
  description: '',
  config: { l2: 0.01 },
  status: 'draft',
  versions: [{ version: 'v1', status: 'trained', metrics: { auc: 0.71 }, artifact_uri: 'file:///models/v1.json', trained_at: isoAt(), created_at: isoAt() }],
  deployed_version: null,
  created_at: isoAt(),
  updated_at: isoAt(),
  ...overrides,
});

export const aDataset = (tenantId: string, datasetId: string, overrides: Partial<Dataset> = {}): Dataset => ({
  tenant_id: tenantId,
  dataset_id: datasetId,
  name: `Dataset ${datasetId}`,
  description: '',
  storage_type: 'local',
  path: `/data/${datasetId}.csv`,
  format: 'csv',
  file_size: 1024,
  row_count: 10,
  created_by: 'tester',
  created_at: isoAt(),
  updated_at: isoAt(),
  ...overrides,
});

/** A tenant template, or a system one when `tenantId` is null. */
export const aTemplate = (tenantId: string | null, templateId: string, overrides: Partial<ConfigTemplate> = {}): ConfigTemplate => ({
  template_id: templateId,
  tenant_id: tenantId,
  name: `Template ${templateId}`,
  scenario_type: 'content',
  description: '',
  config: { recall: { total_limit: 400 } },
  is_system: tenantId === null,
  created_at: isoAt(),
  updated_at: isoAt(),
  ...overrides,
});

export const anItem = (tenantId: string, scenarioId: string, itemId: string, overrides: Partial<Item> = {}): Item => ({
  tenant_id: tenantId,
  scenario_id: scenarioId,
  item_id: itemId,
  status: 'active',
  metadata: { title: `Item ${itemId}`, category: 'general', tags: [] },
  created_at: isoAt(),
  updated_at: isoAt(),
  ...overrides,
});

export const aUser = (tenantId: string, userId: string, overrides: Partial<User> = {}): User => ({
  tenant_id: tenantId,
  user_id: userId,
  attributes: { age: 30, city: 'Shanghai' },
  created_at: isoAt(),
  updated_at: isoAt(),
  ...overrides,
});

export const aTrackingSchema = (tenantId: string, scenarioId: string, overrides: Partial<TrackingSchema> = {}): TrackingSchema => ({
  tenant_id: tenantId,
  scenario_id: scenarioId,
  allowed_actions: ['click', 'purchase'],
  fields: [{ field: 'ecommerce_data.price', type: 'number', required: false, min: 0 }],
  mode: 'reject',
  updated_at: isoAt(),
  ...overrides,
});

let eventSequence = 0;

/** A stored behaviour event; `event_id` is unique unless given. */
export const anEvent = (tenantId: string, overrides: Partial<BehaviorEvent> = {}): BehaviorEvent => {
  eventSequence += 1;
  return {
    tenant_id: tenantId,
    event_id: `evt-${eventSequence}`,
    scenario_id: 'home',
    user_id: 'u1',
    item_id: 'i1',
    action_type: 'click',
    timestamp: FIXTURE_EPOCH,
    received_at: FIXTURE_EPOCH,
    ...overrides,
  };
};
