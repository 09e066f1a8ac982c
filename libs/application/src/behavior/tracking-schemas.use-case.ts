import { Injectable } from '@nestjs/common';
import { DomainError, TRACKING_SCHEMA_TEMPLATES, TrackingSchemaRepository, type TrackingSchema, type TrackingSchemaBody } from '@lemo/domain';
import { ScenarioLookup } from '../scenarios/scenario-lookup';
import { nowIso } from '../shared/time';

/** Per-scenario event rules, read on every tracked event, so kept briefly in memory. */
const TTL_MS = 2_000;

@Injectable()
export class TrackingSchemasUseCase {
  private readonly cache = new Map<string, { schema: TrackingSchema | null; expiresAt: number }>();

  constructor(
    private readonly schemas: TrackingSchemaRepository,
    private readonly scenarios: ScenarioLookup,
  ) {}

  async put(tenantId: string, scenarioId: string, body: TrackingSchemaBody): Promise<TrackingSchema> {
    await this.scenarios.require(tenantId, scenarioId);
    const schema: TrackingSchema = { ...body, tenant_id: tenantId, scenario_id: scenarioId, updated_at: nowIso() };
    await this.schemas.put(schema);
    this.cache.delete(`${tenantId}\u0000${scenarioId}`);
    return schema;
  }

  async get(tenantId: string, scenarioId: string): Promise<TrackingSchema> {
    const schema = await this.find(tenantId, scenarioId);
    if (!schema) throw DomainError.notFound('tracking schema of scenario', scenarioId);
    return schema;
  }

  async delete(tenantId: string, scenarioId: string): Promise<void> {
    if (!(await this.schemas.delete(tenantId, scenarioId))) throw DomainError.notFound('tracking schema of scenario', scenarioId);
    this.cache.delete(`${tenantId}\u0000${scenarioId}`);
  }

  /** Applies the built-in template of the scenario's type. */
  async applyTemplate(tenantId: string, scenarioId: string): Promise<TrackingSchema> {
    const scenario = await this.scenarios.require(tenantId, scenarioId);
    const template = TRACKING_SCHEMA_TEMPLATES[scenario.scenario_type];
    if (!template) throw new DomainError('FAILED_PRECONDITION', `no built-in tracking schema for scenario type '${scenario.scenario_type}'`);
    return this.put(tenantId, scenarioId, template);
  }

  async find(tenantId: string, scenarioId: string): Promise<TrackingSchema | null> {
    const key = `${tenantId}\u0000${scenarioId}`;
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit.schema;
    const schema = await this.schemas.get(tenantId, scenarioId);
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(key, { schema, expiresAt: Date.now() + TTL_MS });
    return schema;
  }
}
