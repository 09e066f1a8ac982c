import { Injectable } from '@nestjs/common';
import {
  DomainError,
  ScenarioRepository,
  systemTemplateFor,
  validateScenarioConfig,
  type ConfigValidation,
  type CreateScenarioInput,
  type Page,
  type PageRequest,
  type Scenario,
  type ScenarioFilter,
  type ScenarioStatus,
  type UpdateScenarioInput,
} from '@lemo/domain';
import { deepMerge } from '../shared/deep-merge';
import { nowIso } from '../shared/time';
import { EngineCapabilitiesProvider } from './engine-capabilities';
import { ScenarioLookup } from './scenario-lookup';
import { TemplatesUseCase } from './templates.use-case';

@Injectable()
export class ScenariosUseCase {
  constructor(
    private readonly scenarios: ScenarioRepository,
    private readonly templates: TemplatesUseCase,
    private readonly capabilities: EngineCapabilitiesProvider,
    private readonly lookup: ScenarioLookup,
  ) {}

  async create(tenantId: string, input: CreateScenarioInput): Promise<Scenario> {
    const template = input.template_id ? await this.templates.get(tenantId, input.template_id) : systemTemplateFor(input.scenario_type);
    const config = this.validOrThrow(deepMerge(template.config as Record<string, unknown>, input.config ?? {}));
    const now = nowIso();
    const scenario: Scenario = {
      tenant_id: tenantId,
      scenario_id: input.scenario_id,
      name: input.name,
      scenario_type: input.scenario_type,
      description: input.description,
      status: input.status,
      config,
      created_at: now,
      updated_at: now,
    };
    await this.scenarios.create(scenario);
    this.lookup.forget(tenantId, scenario.scenario_id);
    return scenario;
  }

  get(tenantId: string, scenarioId: string): Promise<Scenario> {
    return this.lookup.require(tenantId, scenarioId);
  }

  list(tenantId: string, filter: Partial<ScenarioFilter>, page: PageRequest): Promise<Page<Scenario>> {
    return this.scenarios.list(tenantId, filter, page);
  }

  /** `config` patches the stored config (objects merge, arrays replace) and the result is validated whole. */
  async update(tenantId: string, scenarioId: string, input: UpdateScenarioInput): Promise<Scenario> {
    const current = await this.fresh(tenantId, scenarioId);
    const updated: Scenario = {
      ...current,
      name: input.name ?? current.name,
      description: input.description ?? current.description,
      status: input.status ?? current.status,
      config: input.config ? this.validOrThrow(deepMerge(current.config, input.config)) : current.config,
      updated_at: nowIso(),
    };
    await this.scenarios.update(updated);
    this.lookup.forget(tenantId, scenarioId);
    return updated;
  }

  setStatus(tenantId: string, scenarioId: string, status: ScenarioStatus): Promise<Scenario> {
    return this.update(tenantId, scenarioId, { status });
  }

  async delete(tenantId: string, scenarioId: string): Promise<void> {
    if (!(await this.scenarios.delete(tenantId, scenarioId))) throw DomainError.notFound('scenario', scenarioId);
    this.lookup.forget(tenantId, scenarioId);
  }

  /** Validates a candidate config (or the stored one) without saving it. */
  async validate(tenantId: string, scenarioId: string, config?: Record<string, unknown>): Promise<ConfigValidation> {
    const current = await this.fresh(tenantId, scenarioId);
    return validateScenarioConfig(config ? deepMerge(current.config, config) : current.config, this.capabilities.get());
  }

  private async fresh(tenantId: string, scenarioId: string): Promise<Scenario> {
    const scenario = await this.scenarios.get(tenantId, scenarioId);
    if (!scenario) throw DomainError.notFound('scenario', scenarioId);
    return scenario;
  }

  private validOrThrow(raw: Record<string, unknown>) {
    const validation = validateScenarioConfig(raw, this.capabilities.get());
    if (!validation.valid || !validation.config) {
      throw new DomainError('INVALID_SCENARIO_CONFIG', validation.errors.map((e) => `${e.field}: ${e.message}`).join('; '), validation.errors);
    }
    return validation.config;
  }
}
