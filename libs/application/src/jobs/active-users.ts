import type { EventStore } from '@lemo/domain';

/** Events read per EventStore.scan batch. */
const SCAN_BATCH = 2_000;

export interface ActiveUsersScan {
  /** User id → time of their newest event seen (unix ms). */
  users: Map<string, number>;
  events: number;
  /** The scan stopped at a cap before the end: `until` is where a later run carries on. */
  capped: boolean;
  /** The newest event time read (unix ms); `since` when nothing was read. */
  until: number;
}

/**
 * The users with events in a scenario since `since`: one bounded EventStore
 * scan in time order, stopping after `maxEvents` events or `maxUsers` users
 * (the run after carries on from `until`).
 */
export async function scanActiveUsers(
  events: EventStore,
  tenantId: string,
  scenarioId: string,
  since: number,
  limits: { maxUsers: number; maxEvents: number },
  isCancelled: () => boolean = () => false,
): Promise<ActiveUsersScan> {
  const scan: ActiveUsersScan = { users: new Map(), events: 0, capped: false, until: since };
  for await (const batch of events.scan(tenantId, scenarioId, { since, batchSize: SCAN_BATCH })) {
    for (const event of batch) {
      if (!scan.users.has(event.user_id) && scan.users.size >= limits.maxUsers) return { ...scan, capped: true };
      scan.users.set(event.user_id, Math.max(scan.users.get(event.user_id) ?? 0, event.timestamp));
      scan.until = Math.max(scan.until, event.timestamp);
      if (++scan.events >= limits.maxEvents) return { ...scan, capped: true };
    }
    if (isCancelled()) return { ...scan, capped: true };
  }
  return scan;
}
