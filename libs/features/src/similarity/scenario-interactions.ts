import type { ActionWeights, EventStore } from '@lemo/domain';
import { positiveWeight } from '../action-weights';
import { IdInterner } from '../numeric/id-interner';
import { InteractionLog } from './interaction-log';

const SCAN_BATCH_SIZE = 5000;

export interface InteractionScanOptions {
  /** Only events at or after this unix ms time. */
  since?: number;
  /** The scenario's realtime.action_weights overrides; contract defaults otherwise. */
  actionWeights?: ActionWeights;
}

/** A scenario's positive implicit feedback in time order, on dense user and item indices. */
export interface ScenarioInteractions {
  log: InteractionLog;
  users: IdInterner;
  items: IdInterner;
  /** Events read, positive or not. */
  scanned: number;
}

/**
 * Reads every event of a scenario once (EventStore.scan, timestamp order) and
 * keeps the positive ones as (user, item, action weight) triples; negative and
 * zero-weight actions are dropped. `onScanned(fraction)` reports progress when
 * the caller wants it (it costs one count query).
 */
export async function scanScenarioInteractions(
  events: EventStore,
  tenantId: string,
  scenarioId: string,
  options: InteractionScanOptions = {},
  onScanned?: (fraction: number) => Promise<void> | void,
): Promise<ScenarioInteractions> {
  const users = new IdInterner();
  const items = new IdInterner();
  const log = new InteractionLog(64 * 1024);
  const weightOf = new Map<string, number>();
  const expected = onScanned ? await events.count(tenantId, scenarioId) : 0;
  let scanned = 0;
  for await (const batch of events.scan(tenantId, scenarioId, { since: options.since, batchSize: SCAN_BATCH_SIZE })) {
    for (const event of batch) {
      let weight = weightOf.get(event.action_type);
      if (weight === undefined) {
        weight = positiveWeight(event.action_type, options.actionWeights);
        weightOf.set(event.action_type, weight);
      }
      if (weight > 0) log.push(users.intern(event.user_id), items.intern(event.item_id), weight);
    }
    scanned += batch.length;
    if (expected > 0) await onScanned?.(Math.min(1, scanned / expected));
  }
  return { log, users, items, scanned };
}
