import type { ConfigTemplate, Scenario } from '@lemo/domain';
import { recommender } from '@lemo/contracts';
import { timestampOf } from './proto-values';

/** `id` has no surrogate key behind it here: it carries the scenario_id, the scenario's identity within its tenant. */
export function scenarioMessage(scenario: Scenario): recommender.Scenario {
  return recommender.Scenario.fromPartial({
    id: scenario.scenario_id,
    tenant_id: scenario.tenant_id,
    scenario_id: scenario.scenario_id,
    name: scenario.name,
    scenario_type: scenario.scenario_type,
    description: scenario.description,
    config: scenario.config,
    status: scenario.status,
    created_at: timestampOf(scenario.created_at),
    updated_at: timestampOf(scenario.updated_at),
  });
}

/**
 * A template has one scenario type here, so `scenario_types` has one entry. `creator` is the owning
 * tenant ('' for system templates): the platform records no other author.
 */
export function templateMessage(template: ConfigTemplate): recommender.Template {
  return recommender.Template.fromPartial({
    id: template.template_id,
    template_id: template.template_id,
    name: template.name,
    description: template.description,
    scenario_types: [template.scenario_type],
    config: template.config,
    is_system: template.is_system,
    creator: template.tenant_id ?? '',
    created_at: timestampOf(template.created_at),
    updated_at: timestampOf(template.updated_at),
  });
}
