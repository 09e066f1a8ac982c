import { DomainError, EventStore, type AppendedPage, type AppendResult, type BehaviorEvent, type EventQuery } from '@lemo/domain';
import { mongo, type Connection } from 'mongoose';
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
    // readAppended (keyset order on the driver-minted _id).
    [{ tenant_id: 1, scenario_id: 1, _id: 1 }, {}],
  ],
};

/** The cursor before every event. */
const START = '0'.repeat(24);
const OBJECT_ID = /^[0-9a-f]{24}$/;

/** The largest ObjectId minted in the given second, as a cursor: reading after it starts at the next second. */
const endOfSecond = (seconds: number): string => `${seconds.toString(16).padStart(8, '0')}${'f'.repeat(16)}`;

export class MongoEventStore extends EventStore {
  private readonly events: StoredCollection<BehaviorEvent>;

  constructor(
    connection: Connection,
    private readonly settleMs: number,
  ) {
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

  /**
   * The cursor is an `_id`. The driver mints ObjectIds as it sends an insert
   * (4 bytes of seconds, then a per-process random part and counter): they grow
   * in append order within one process, but ids of the same second from two
   * processes interleave, and an insert can become visible after a later one.
   * So only ids of seconds that ended at least `settleMs` ago are read — by then
   * every insert minted in them is visible, as long as inserts take less than
   * that and the hosts' clocks agree within it — and a caught-up reader's
   * cursor moves to the end of the last settled second. `settleMs` 0 reads up
   * to the newest event (one writing process).
   */
  async readAppended(tenantId: string, scenarioId: string, options: { after?: string; limit: number }): Promise<AppendedPage> {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw DomainError.invalid('limit', 'must be a positive integer');
    const after = options.after ?? START;
    if (!OBJECT_ID.test(after)) throw DomainError.invalid('after', 'is not a cursor of this event store');
    const settledSeconds = this.settleMs > 0 ? Math.floor((Date.now() - this.settleMs) / 1000) : undefined;
    const range: Record<string, mongo.ObjectId> = { $gt: new mongo.ObjectId(after) };
    if (settledSeconds !== undefined) range.$lt = mongo.ObjectId.createFromTime(settledSeconds);
    const rows = await this.events.findWithIds({ tenant_id: tenantId, scenario_id: scenarioId, _id: range }, { sort: { _id: 1 }, limit: options.limit });
    const events = rows.map((row) => row.doc);
    const last = rows.length > 0 ? (rows[rows.length - 1]._id as mongo.ObjectId).toHexString() : after;
    if (rows.length === options.limit || settledSeconds === undefined) return { events, cursor: last };
    // Caught up: nothing more can appear before the settled bound. Fixed-width hex compares like the ids.
    const settled = endOfSecond(settledSeconds - 1);
    return { events, cursor: settled > last ? settled : last };
  }

  deleteByUser(tenantId: string, userId: string): Promise<number> {
    return this.events.deleteMany({ tenant_id: tenantId, user_id: userId });
  }

  count(tenantId: string, scenarioId?: string): Promise<number> {
    return this.events.count(scenarioId === undefined ? { tenant_id: tenantId } : { tenant_id: tenantId, scenario_id: scenarioId });
  }
}
