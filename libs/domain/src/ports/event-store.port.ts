import type { BehaviorEvent } from '../behavior/behavior-event';

export interface AppendResult {
  /** event_ids stored by this call. */
  inserted: string[];
  /** event_ids already stored earlier (a client retry): not stored again. */
  duplicates: string[];
}

export interface EventQuery {
  scenarioId?: string;
  /** Unix ms, inclusive. */
  since?: number;
  limit: number;
}

/** One page of `EventStore.readAppended`. */
export interface AppendedPage {
  /** In the order the store received them; at most the requested limit. */
  events: BehaviorEvent[];
  /**
   * Opaque position to pass as `after` to read on; returned even for an empty
   * page. Shorter than the limit: the reader has caught up with what is readable now.
   */
  cursor: string;
}

/**
 * The durable record of behaviour events, idempotent by (tenant, event_id).
 * Analytics-scale queries belong to the analytics store; this one serves
 * per-user history, training scans and GDPR deletes.
 */
export abstract class EventStore {
  abstract append(events: readonly BehaviorEvent[]): Promise<AppendResult>;
  /** A user's events, newest first. */
  abstract recentByUser(tenantId: string, userId: string, query: EventQuery): Promise<BehaviorEvent[]>;
  /** Every event of a scenario in timestamp order, in batches, for training jobs. */
  abstract scan(tenantId: string, scenarioId: string, options: { since?: number; batchSize: number }): AsyncIterable<BehaviorEvent[]>;
  /**
   * A scenario's events in the order the store received them (not by timestamp,
   * so late events are not missed), after the `after` cursor or from the first.
   * Reading on from each page's cursor returns every event appended since exactly
   * once: incremental jobs (item similarity) keep the cursor as their watermark.
   * An adapter may hold back events appended in the last moments until they are
   * certain to be visible in order (see the MongoDB adapter); deleted events are
   * simply gone, so a reader that must forget them needs a full pass.
   */
  abstract readAppended(tenantId: string, scenarioId: string, options: { after?: string; limit: number }): Promise<AppendedPage>;
  abstract deleteByUser(tenantId: string, userId: string): Promise<number>;
  abstract count(tenantId: string, scenarioId?: string): Promise<number>;
}
