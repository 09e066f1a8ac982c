import { fieldIssues, itemEventSchema, type ItemEvent, type ItemEventDeadLetterReason } from '@lemo/domain';

export type ReadItemEvent =
  { ok: true; event: ItemEvent } | { ok: false; reason: Extract<ItemEventDeadLetterReason, 'invalid_message' | 'tenant_mismatch'>; error: string };

/**
 * Checks one bus message value as an item event of `tenantId` (the topic's
 * tenant). A body naming another tenant is refused before anything else: the
 * topic decides whose data a message may touch, never the body.
 */
export function readItemEvent(value: unknown, tenantId: string): ReadItemEvent {
  if (typeof value === 'string') return { ok: false, reason: 'invalid_message', error: '(message): must be a JSON object, got text that is not JSON' };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      reason: 'invalid_message',
      error: `(message): must be a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`,
    };
  }
  const claimed = (value as { tenant_id?: unknown }).tenant_id;
  if (claimed !== undefined && claimed !== tenantId) {
    return { ok: false, reason: 'tenant_mismatch', error: `tenant_id: ${JSON.stringify(claimed)} is not the tenant of the topic ('${tenantId}')` };
  }
  const parsed = itemEventSchema.safeParse(value);
  if (!parsed.success)
    return {
      ok: false,
      reason: 'invalid_message',
      error: fieldIssues(parsed.error)
        .map((i) => `${i.field}: ${i.message}`)
        .join('; '),
    };
  return { ok: true, event: parsed.data };
}

/** The number of items a valid event names. */
export const itemCount = (event: ItemEvent): number => (event.operation === 'delete' ? event.item_ids.length : event.items.length);

/**
 * Per-item errors are reported by the use case with the batch's field names
 * (`items.0.metadata.price: …`); a message that named one `item` reads better
 * as `item.metadata.price: …`.
 */
export function inMessageTerms(error: string, single: boolean): string {
  return single ? error.replace(/(^|; )items\.0(?=[.:])/g, '$1item') : error;
}
