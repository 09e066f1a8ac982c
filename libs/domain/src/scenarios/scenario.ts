import { z } from 'zod';
import { clientId } from '../shared/identifiers';
import { scenarioConfigSchema, type ScenarioConfig } from './scenario-config';

export const SCENARIO_TYPES = ['ecommerce', 'content', 'social', 'vlog', 'news', 'music', 'education', 'custom'] as const;
export type ScenarioType = (typeof SCENARIO_TYPES)[number];

export const SCENARIO_STATUSES = ['active', 'inactive', 'testing'] as const;
export type ScenarioStatus = (typeof SCENARIO_STATUSES)[number];

export interface Scenario {
  tenant_id: string;
  scenario_id: string;
  name: string;
  scenario_type: ScenarioType;
  description: string;
  status: ScenarioStatus;
  config: ScenarioConfig;
  created_at: string;
  updated_at: string;
}

export const createScenarioSchema = z
  .object({
    scenario_id: clientId('scenario_id'),
    name: z.string().min(1).max(256),
    scenario_type: z.enum(SCENARIO_TYPES),
    description: z.string().max(4096).default(''),
    status: z.enum(SCENARIO_STATUSES).default('active'),
    /** Omitted: the scenario type's template config. Given: merged over the defaults. */
    config: z.record(z.string(), z.unknown()).optional(),
    /** Start from this template instead of the type's system template. */
    template_id: z.string().max(128).optional(),
  })
  .strict();
export type CreateScenarioInput = z.infer<typeof createScenarioSchema>;

export const updateScenarioSchema = z
  .object({
    name: z.string().min(1).max(256).optional(),
    description: z.string().max(4096).optional(),
    status: z.enum(SCENARIO_STATUSES).optional(),
    config: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type UpdateScenarioInput = z.infer<typeof updateScenarioSchema>;

export const updateScenarioStatusSchema = z.object({ status: z.enum(SCENARIO_STATUSES) }).strict();

export { scenarioConfigSchema };
