import { Injectable } from '@nestjs/common';
import { DomainError, ScenarioRepository, type Scenario } from '@lemo/domain';
import { DocumentStoreOutage } from '../shared/document-store-outage';

/** Scenario configs are read on every request; a short-lived copy saves a store round trip. */
const TTL_MS = 2_000;

/**
 * Scenario configs for serving: a 2 s in-process copy, served stale while the
 * document store is unreachable (stale-if-error). Why stale is right: a config
 * changes only through that same store, so while it is down the last copy read
 * is the best answer there is, and failing every request would turn a short
 * store outage into a full one. A scenario never read by this process still
 * fails (UNAVAILABLE): there is nothing to serve it with.
 */
@Injectable()
export class ScenarioLookup {
  private readonly cache = new Map<string, { scenario: Scenario | null; expiresAt: number }>();

  constructor(
    private readonly scenarios: ScenarioRepository,
    private readonly outage: DocumentStoreOutage,
  ) {}

  async find(tenantId: string, scenarioId: string): Promise<Scenario | null> {
    const key = `${tenantId}\u0000${scenarioId}`;
    const hit = this.cache.get(key);
    if (hit && (hit.expiresAt > Date.now() || this.outage.suspected)) return hit.scenario;
    let scenario: Scenario | null;
    try {
      scenario = await this.scenarios.get(tenantId, scenarioId);
    } catch (error) {
      if (hit && this.outage.observe(error)) return hit.scenario;
      throw error;
    }
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
