import { z } from 'zod';
import { clientId, tenantIdSchema } from '../shared/identifiers';
import { MAX_BATCH_ITEMS, updateItemSchema } from './item';

/**
 * Item events: what business systems publish to `item-events-{tenant_id}`
 * instead of calling the REST item API. One message carries one operation
 * on one scenario, for one item (`item` / `item_id`) or a batch (`items` /
 * `item_ids`, at most MAX_BATCH_ITEMS):
 *
 *   {"operation":"create","scenario_id":"shop","items":[{"item_id":"i1","metadata":{"title":"…"}}]}
 *   {"operation":"update","scenario_id":"shop","mode":"merge","item":{"item_id":"i1","metadata":{"price":9}}}
 *   {"operation":"delete","scenario_id":"shop","item_ids":["i1","i2"],"hard":false}
 *
 * - create: creates or replaces each item, the body of `POST /items/{scenario_id}/batch`.
 * - update: `mode` merge (default, PATCH) merges metadata keys into the stored ones; replace (PUT)
 *   replaces metadata whole. Each item is `{item_id, status?, metadata?, embedding?}`.
 * - delete: soft by default (status `deleted`, out of every list at once); `hard: true` removes the records.
 *
 * The tenant is the topic's; `tenant_id` in the body is optional and must name that same tenant.
 * The envelope is checked here; each item is validated on its own by the use case, as in a REST
 * batch, so one bad item fails alone.
 */
export const ITEM_EVENT_OPERATIONS = ['create', 'update', 'delete'] as const;
export type ItemEventOperation = (typeof ITEM_EVENT_OPERATIONS)[number];

const envelope = {
  scenario_id: clientId('scenario_id'),
  tenant_id: tenantIdSchema.optional(),
  /** The producer's id of the message, echoed in dead letters and results. */
  event_id: z.string().min(1).max(128).optional(),
};

const itemList = z.array(z.unknown()).min(1, 'items must not be empty').max(MAX_BATCH_ITEMS, `at most ${MAX_BATCH_ITEMS} items per message`);

const createEvent = z.object({ operation: z.literal('create'), ...envelope, item: z.unknown().optional(), items: itemList.optional() }).strict();

const updateEvent = z
  .object({
    operation: z.literal('update'),
    ...envelope,
    mode: z.enum(['merge', 'replace']).default('merge'),
    item: z.unknown().optional(),
    items: itemList.optional(),
  })
  .strict();

const deleteEvent = z
  .object({
    operation: z.literal('delete'),
    ...envelope,
    item_id: clientId('item_id').optional(),
    item_ids: z
      .array(clientId('item_id'))
      .min(1, 'item_ids must not be empty')
      .max(MAX_BATCH_ITEMS, `at most ${MAX_BATCH_ITEMS} item_ids per message`)
      .optional(),
    hard: z.boolean().default(false),
  })
  .strict();

/** An update of one item: the body of PATCH/PUT `/items/{scenario_id}/{item_id}` plus the item's id. */
export const itemUpdateEntrySchema = updateItemSchema
  .omit({ mode: true })
  .extend({ item_id: clientId('item_id') })
  .strict();
export type ItemUpdateEntry = z.infer<typeof itemUpdateEntrySchema>;

/** Exactly one of the single and the batch field. */
function oneOf(single: string, batch: string) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const present = [single, batch].filter((field) => value[field] !== undefined);
    if (present.length === 1) return;
    ctx.addIssue({
      code: 'custom',
      path: [present.length === 0 ? batch : single],
      message: `give either ${single} or ${batch}, ${present.length === 0 ? 'not neither' : 'not both'}`,
    });
  };
}

export const itemEventSchema = z
  .discriminatedUnion('operation', [createEvent, updateEvent, deleteEvent], { error: `operation must be one of ${ITEM_EVENT_OPERATIONS.join(', ')}` })
  .superRefine((event, ctx) => (event.operation === 'delete' ? oneOf('item_id', 'item_ids')(event, ctx) : oneOf('item', 'items')(event, ctx)))
  .transform((event): ItemEvent => {
    const { scenario_id, tenant_id, event_id } = event;
    const common = { scenario_id, ...(tenant_id !== undefined && { tenant_id }), ...(event_id !== undefined && { event_id }) };
    if (event.operation === 'delete') {
      return { operation: 'delete', ...common, single: event.item_id !== undefined, item_ids: event.item_ids ?? [event.item_id as string], hard: event.hard };
    }
    const items = event.items ?? [event.item];
    if (event.operation === 'update') return { operation: 'update', ...common, single: event.items === undefined, items, mode: event.mode };
    return { operation: 'create', ...common, single: event.items === undefined, items };
  });

interface ItemEventBase {
  scenario_id: string;
  tenant_id?: string;
  event_id?: string;
  /** The message named one item (`item` / `item_id`) rather than a batch: errors then name `item.…`. */
  single: boolean;
}

/** A valid item-event message, batch-shaped whatever the message used; items are still unchecked. */
export type ItemEvent =
  | (ItemEventBase & { operation: 'create'; items: unknown[] })
  | (ItemEventBase & { operation: 'update'; items: unknown[]; mode: 'merge' | 'replace' })
  | (ItemEventBase & { operation: 'delete'; item_ids: string[]; hard: boolean });

/** Why a message went to the dead-letter topic (the `dlq_reason` header and envelope field). */
export const ITEM_EVENT_DEAD_LETTER_REASONS = [
  /** Not JSON, or not an item event: `error` names the field. */
  'invalid_message',
  /** The body names another tenant than the topic's. */
  'tenant_mismatch',
  /** The scenario does not exist (for this tenant). */
  'scenario_not_found',
  /** Some items were refused (validation, unknown item, deleted item); the others were written. */
  'items_failed',
  /** The whole message was refused by a rule (e.g. the tenant's item quota). */
  'rejected',
] as const;
export type ItemEventDeadLetterReason = (typeof ITEM_EVENT_DEAD_LETTER_REASONS)[number];

/** One item's outcome, as in the REST batch response. */
export interface ItemEventItemResult {
  index: number;
  item_id: string | null;
  status: 'created' | 'updated' | 'deleted' | 'failed';
  error?: string;
}

/** What the dead-letter topic holds for a message: the original as received and why it was not (fully) applied. */
export interface ItemEventDeadLetter {
  reason: ItemEventDeadLetterReason;
  /** Human-readable, naming the field (`items.3.metadata.price: price must be a non-negative number`). */
  error: string;
  /** The failed items, for `items_failed` (the others were written). */
  failed_items?: ItemEventItemResult[];
  source: { topic: string; key: string; headers: Record<string, string> };
  /** The message value as received (its text when it was not JSON). */
  original: unknown;
  dead_lettered_at: string;
}

/** The optional result message of each processed message (ITEM_EVENTS_PUBLISH_RESULTS). */
export interface ItemEventResult {
  event_id: string | null;
  scenario_id: string | null;
  operation: ItemEventOperation | null;
  total: number;
  succeeded: number;
  failed: number;
  /** delete: items that were live (soft) or stored (hard) and are now deleted; the others were gone already. */
  deleted?: number;
  /** Failed items only (or the whole message's reason when it was dead-lettered as a whole). */
  failures: ItemEventItemResult[];
  dead_letter_reason: ItemEventDeadLetterReason | null;
  processed_at: string;
}
