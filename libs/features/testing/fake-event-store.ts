import { EventStore, type AppendResult, type BehaviorEvent } from '@lemo/domain';

/**
 * In-memory EventStore for the similarity builder's tests: serves `scan` and
 * `count` over the events given to the constructor; anything else throws.
 */
export class FakeEventStore extends EventStore {
  scanCalls = 0;

  constructor(private readonly events: readonly BehaviorEvent[]) {
    super();
  }

  async *scan(tenantId: string, scenarioId: string, options: { since?: number; batchSize: number }): AsyncIterable<BehaviorEvent[]> {
    this.scanCalls++;
    const selected = this.select(tenantId, scenarioId).filter((e) => options.since === undefined || e.timestamp >= options.since);
    selected.sort((a, b) => a.timestamp - b.timestamp);
    for (let start = 0; start < selected.length; start += options.batchSize) yield selected.slice(start, start + options.batchSize);
  }

  async count(tenantId: string, scenarioId?: string): Promise<number> {
    return this.select(tenantId, scenarioId).length;
  }

  append(): Promise<AppendResult> {
    throw new Error('FakeEventStore.append: unexpected call');
  }

  recentByUser(): Promise<BehaviorEvent[]> {
    throw new Error('FakeEventStore.recentByUser: unexpected call');
  }

  deleteByUser(): Promise<number> {
    throw new Error('FakeEventStore.deleteByUser: unexpected call');
  }

  private select(tenantId: string, scenarioId?: string): BehaviorEvent[] {
    return this.events.filter((e) => e.tenant_id === tenantId && (scenarioId === undefined || e.scenario_id === scenarioId));
  }
}
