import type { Item } from '@lemo/domain';
import { recommender } from '@lemo/contracts';
import { timestampOf } from './proto-values';

/** `id` carries the item_id: items are identified by (tenant, scenario, item_id), with no surrogate key. */
export function itemMessage(item: Item): recommender.Item {
  return recommender.Item.fromPartial({
    id: item.item_id,
    tenant_id: item.tenant_id,
    scenario_id: item.scenario_id,
    item_id: item.item_id,
    metadata: item.metadata,
    embedding: item.embedding ?? [],
    status: item.status,
    created_at: timestampOf(item.created_at),
    updated_at: timestampOf(item.updated_at),
  });
}

/** An item as the domain's create/update schemas read it: an empty embedding means none was sent. */
export function itemInput(input: { item_id?: string; metadata: Record<string, unknown> | undefined; embedding: number[] }): Record<string, unknown> {
  return { ...(input.item_id !== undefined && { item_id: input.item_id }), metadata: input.metadata, embedding: input.embedding.length ? input.embedding : undefined };
}
