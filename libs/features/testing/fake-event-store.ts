import { EventStore, type AppendedPage, type AppendResult, type BehaviorEvent } from '@lemo/domain';

/**
 * In-memory EventStore for the similarity builder's tests: serves `scan`,
 * `readAppended` (the cursor is the array position) and `count` over the
 * events given to the constructor and to `arrive`; anything else throws.
 */
export class FakeEventStore extends EventStore {
  scanCalls = 0;
  /** Events handed out by readAppended, over all calls. */
  appendedRead = 0;
  private readonly events: BehaviorEvent[];

  constructor(events: readonly BehaviorEvent[]) {
    super();
    this.events = [...events];
  }

  /** New events, as if appended after the constructor's (in array order). */
  arrive(events: readonly BehaviorEvent[]): void {
    this.events.push(...events);
  }

  async readAppended(tenantId: string, scenarioId: string, options: { after?: string; limit: number }): Promise<AppendedPage> {
    const page: BehaviorEvent[] = [];
    let position = options.after === undefined ? 0 : Number(options.after);
    for (; position < this.events.length && page.length < options.limit; position++) {
      const event = this.events[position];
      if (event.tenant_id === tenantId && event.scenario_id === scenarioId) page.push(event);
    }
    this.appendedRead += page.length;
    return { events: page, cursor: String(position) };
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
