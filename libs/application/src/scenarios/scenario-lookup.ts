import { Injectable } from '@nestjs/common';
import { DomainError, ScenarioRepository, type Scenario } from '@lemo/domain';

/** Scenario configs are read on every request; a short-lived copy saves a store round trip. */
const TTL_MS = 2_000;

@Injectable()
export class ScenarioLookup {
  private readonly cache = new Map<string, { scenario: Scenario | null; expiresAt: number }>();

  constructor(private readonly scenarios: ScenarioRepository) {}

  async find(tenantId: string, scenarioId: string): Promise<Scenario | null> {
    const key = `${tenantId}\u0000${scenarioId}`;
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit.scenario;
    const scenario = await this.scenarios.get(tenantId, scenarioId);
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(key, { scenario, expiresAt: Date.now() + TTL_MS });
    return scenario;
  }

  async require(tenantId: string, scenarioId: string): Promise<Scenario> {
    const scenario = await this.find(tenantId, scenarioId);
    if (!scenario) throw DomainError.notFound('scenario', scenarioId);
    return scenario;
  }

  forget(tenantId: string, scenarioId: string): void {
    this.cache.delete(`${tenantId}\u0000${scenarioId}`);
  }
}
