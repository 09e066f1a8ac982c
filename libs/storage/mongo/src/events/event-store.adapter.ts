import { DomainError, EventStore, type AppendResult, type BehaviorEvent, type EventQuery } from '@lemo/domain';
import type { Connection } from 'mongoose';
import { StoredCollection, type CollectionSpec, type StoredFilter } from '../connection/stored-collection';

const EVENTS: CollectionSpec = {
  name: 'behavior_events',
  entity: 'event',
  indexes: [
    // Idempotency: a retried event id is refused by the server, never stored twice.
    [{ tenant_id: 1, event_id: 1 }, { unique: true }],
    // recentByUser and deleteByUser.
    [{ tenant_id: 1, user_id: 1, timestamp: -1 }, {}],
    // scan (keyset order) and count per scenario.
    [{ tenant_id: 1, scenario_id: 1, timestamp: 1, event_id: 1 }, {}],
  ],
};

export class MongoEventStore extends EventStore {
  private readonly events: StoredCollection<BehaviorEvent>;

  constructor(connection: Connection) {
    super();
    this.events = new StoredCollection(connection, EVENTS);
  }

  /**
   * One unordered insert: the unique (tenant_id, event_id) index refuses events
   * stored before (and repeats within the batch), and the bulk write error names
   * each refused document, so one round trip sorts the batch into inserted and duplicates.
   */
  async append(events: readonly BehaviorEvent[]): Promise<AppendResult> {
    const refused = await this.events.insertManySkippingDuplicates(events);
    const result: AppendResult = { inserted: [], duplicates: [] };
    events.forEach((event, index) => (refused.has(index) ? result.duplicates : result.inserted).push(event.event_id));
    return result;
  }

  /** Newest first; among equal timestamps the later append first. */
  recentByUser(tenantId: string, userId: string, query: EventQuery): Promise<BehaviorEvent[]> {
    if (query.limit <= 0) return Promise.resolve([]);
    const filter: StoredFilter = { tenant_id: tenantId, user_id: userId };
    if (query.scenarioId !== undefined) filter.scenario_id = query.scenarioId;
    if (query.since !== undefined) filter.timestamp = { $gte: query.since };
    return this.events.find(filter, { sort: { timestamp: -1, _id: -1 }, limit: query.limit });
  }

  /**
   * Keyset paging on (timestamp, event_id), one query per batch: events sharing
   * a timestamp are neither skipped nor repeated across batch borders, and no
   * server cursor stays open between batches (a slow consumer cannot time one out).
   */
  async *scan(tenantId: string, scenarioId: string, options: { since?: number; batchSize: number }): AsyncIterable<BehaviorEvent[]> {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw DomainError.invalid('batchSize', 'must be a positive integer');
    const scope: StoredFilter = { tenant_id: tenantId, scenario_id: scenarioId };
    let range: StoredFilter = options.since === undefined ? {} : { timestamp: { $gte: options.since } };
    for (;;) {
      const batch = await this.events.find({ ...scope, ...range }, { sort: { timestamp: 1, event_id: 1 }, limit: options.batchSize });
      if (batch.length > 0) yield batch;
      if (batch.length < options.batchSize) return;
      const last = batch[batch.length - 1];
      range = { $or: [{ timestamp: { $gt: last.timestamp } }, { timestamp: last.timestamp, event_id: { $gt: last.event_id } }] };
    }
  }

  deleteByUser(tenantId: string, userId: string): Promise<number> {
    return this.events.deleteMany({ tenant_id: tenantId, user_id: userId });
  }

  count(tenantId: string, scenarioId?: string): Promise<number> {
    return this.events.count(scenarioId === undefined ? { tenant_id: tenantId } : { tenant_id: tenantId, scenario_id: scenarioId });
  }
}
