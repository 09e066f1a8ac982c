import type { ActionWeights, EventStore } from '@lemo/domain';
import { positiveWeight } from '../action-weights';
import { yieldToEventLoop } from '../models/training-pacer';
import type { IdInterner } from '../numeric/id-interner';
import { TimedLog } from './timed-log';

const PAGE_SIZE = 5000;

export interface ArrivalReadOptions {
  /** Event store cursor to read after; from the first event when absent. */
  after?: string;
  /** Only events at or after this unix ms time. */
  since?: number;
  actionWeights?: ActionWeights;
  /** Stop once more positive interactions than this were read (`exceeded` tells). */
  maxInteractions?: number;
}

export interface Arrivals {
  /** The positive interactions read, in time order. */
  log: TimedLog;
  /** Where the read stopped: the next incremental read starts here. */
  cursor: string | undefined;
  /** Events read, positive or not. */
  scanned: number;
  /** The read stopped early at maxInteractions; cursor and log are partial. */
  exceeded: boolean;
}

/**
 * Reads a scenario's events in arrival order (EventStore.readAppended) and
 * keeps the positive ones as (user, item, weight, timestamp) columns on the
 * given interners, so ids are numbered in arrival order whether read all at
 * once or in increments. `onPage(scanned)` is called after every page.
 */
export async function readArrivals(
  events: EventStore,
  tenantId: string,
  scenarioId: string,
  users: IdInterner,
  items: IdInterner,
  options: ArrivalReadOptions = {},
  onPage?: (scanned: number) => Promise<void> | void,
): Promise<Arrivals> {
  const columns = new ArrivalColumns();
  const weightOf = new Map<string, number>();
  const since = options.since ?? -Infinity;
  const limit = options.maxInteractions ?? Infinity;
  let cursor = options.after;
  let scanned = 0;
  for (;;) {
    const page = await events.readAppended(tenantId, scenarioId, { after: cursor, limit: PAGE_SIZE });
    for (const event of page.events) {
      let weight = weightOf.get(event.action_type);
      if (weight === undefined) {
        weight = positiveWeight(event.action_type, options.actionWeights);
        weightOf.set(event.action_type, weight);
      }
      if (weight > 0 && event.timestamp >= since) columns.push(users.intern(event.user_id), items.intern(event.item_id), weight, event.timestamp);
    }
    cursor = page.cursor;
    scanned += page.events.length;
    await onPage?.(scanned);
    // An embedded (synchronous) store resolves at once: without this, reading a million events would hold the event loop.
    await yieldToEventLoop();
    if (columns.length > limit) return { log: columns.toLog(), cursor, scanned, exceeded: true };
    if (page.events.length < PAGE_SIZE) return { log: columns.toLog(), cursor, scanned, exceeded: false };
  }
}

/** Growable typed columns (doubling), so a million events cost ~20 MB and no objects. */
class ArrivalColumns {
  length = 0;
  private users = new Int32Array(1024);
  private items = new Int32Array(1024);
  private weights = new Float32Array(1024);
  private timestamps = new Float64Array(1024);

  push(user: number, item: number, weight: number, timestamp: number): void {
    if (this.length === this.users.length) this.grow();
    this.users[this.length] = user;
    this.items[this.length] = item;
    this.weights[this.length] = weight;
    this.timestamps[this.length] = timestamp;
    this.length++;
  }

  toLog(): TimedLog {
    const n = this.length;
    return TimedLog.fromArrivals(this.users.slice(0, n), this.items.slice(0, n), this.weights.slice(0, n), this.timestamps.slice(0, n));
  }

  private grow(): void {
    const capacity = this.users.length * 2;
    this.users = grown(this.users, new Int32Array(capacity));
    this.items = grown(this.items, new Int32Array(capacity));
    this.weights = grown(this.weights, new Float32Array(capacity));
    this.timestamps = grown(this.timestamps, new Float64Array(capacity));
  }
}

function grown<T extends Int32Array | Float32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
