import type { BehaviorEvent, BusMessage } from '@lemo/domain';
import type { AppLogger } from '@lemo/platform-observability';
import { REQUEST_ID_HEADER } from '../shared/request-trace';
import type { StreamMetrics } from './stream-metrics';

/** Why a bus record is left out by a stream job. */
export type SkipReason = 'not_a_behavior_event' | 'tenant_mismatch';

/**
 * A stored behaviour event as the API publishes it. Checked field by field
 * (not with the input schema, whose timestamp window would refuse a replay of
 * old events): a foreign record must not block the partition forever.
 */
function isBehaviorEvent(value: unknown): value is BehaviorEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Record<string, unknown>;
  const texts = ['tenant_id', 'event_id', 'scenario_id', 'user_id', 'item_id', 'action_type'].every(
    (field) => typeof event[field] === 'string' && event[field] !== '',
  );
  return texts && Number.isSafeInteger(event.timestamp) && Number.isSafeInteger(event.received_at);
}

/**
 * The behaviour events of a bus batch, validated at this trust boundary: a
 * record that is no behaviour event, or names another tenant than its topic's
 * (which would cross tenants), is handed to `skip` and left out.
 */
export function behaviorEventsOf(
  messages: ReadonlyArray<BusMessage<unknown>>,
  topic: RegExp,
  skip: (message: BusMessage<unknown>, reason: SkipReason) => void,
): BehaviorEvent[] {
  const events: BehaviorEvent[] = [];
  for (const message of messages) {
    if (!isBehaviorEvent(message.value)) skip(message, 'not_a_behavior_event');
    else if (message.value.tenant_id !== topic.exec(message.topic)?.[1]) skip(message, 'tenant_mismatch');
    else events.push(message.value);
  }
  return events;
}

/** behaviorEventsOf, grouped by tenant: a job writes each tenant's events with one call. */
export function behaviorEventsByTenant(
  messages: ReadonlyArray<BusMessage<unknown>>,
  topic: RegExp,
  skip: (message: BusMessage<unknown>, reason: SkipReason) => void,
): Map<string, BehaviorEvent[]> {
  const byTenant = new Map<string, BehaviorEvent[]>();
  for (const event of behaviorEventsOf(messages, topic, skip)) {
    const events = byTenant.get(event.tenant_id);
    if (events) events.push(event);
    else byTenant.set(event.tenant_id, [event]);
  }
  return byTenant;
}

/** A stream job's `skip` for behaviorEventsOf: counts the record by reason and logs where it came from. */
export function skipRecorder(job: string, metrics: StreamMetrics, logger: AppLogger): (message: BusMessage<unknown>, reason: SkipReason) => void {
  return (message, reason) => {
    metrics.eventsSkipped.inc({ job, reason });
    logger.warn({ job, topic: message.topic, key: message.key, reason, request_id: message.headers[REQUEST_ID_HEADER] }, 'stream job skipped a record');
  };
}
