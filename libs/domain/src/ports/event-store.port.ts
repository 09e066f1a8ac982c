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
  abstract deleteByUser(tenantId: string, userId: string): Promise<number>;
  abstract count(tenantId: string, scenarioId?: string): Promise<number>;
}
