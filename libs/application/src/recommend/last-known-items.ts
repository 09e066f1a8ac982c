import { Injectable } from '@nestjs/common';
import { ItemRepository, type Item } from '@lemo/domain';
import { DocumentStoreOutage } from '../shared/document-store-outage';

/**
 * Item documents kept per process: the recently served head of the catalogues
 * (what popular, similar and personalised recall keep proposing), not all of them.
 */
const MAX_ITEMS = 20_000;

/**
 * Loads the item documents serving needs, and keeps the last copy of each so a
 * short document-store outage can still be served (stale-if-error).
 *
 * Why this design: recall runs on other stores (hot scores and neighbours in
 * Redis, vectors in Milvus), so during a MongoDB outage it still proposes
 * candidates; only their documents are missing. Serving the last read copies
 * keeps the whole pipeline (filters, ranking, business rules) unchanged and
 * needs nothing persisted. Copies are replaced on every read and dropped when
 * the store says an item is gone, so they are never used while the store answers.
 */
@Injectable()
export class LastKnownItems {
  /** Insertion order is recency: a re-read item moves to the end, the oldest is evicted first. */
  private readonly items = new Map<string, Item>();

  constructor(
    private readonly repository: ItemRepository,
    private readonly outage: DocumentStoreOutage,
  ) {}

  /** The documents of `itemIds` that exist; while the store is unreachable, those of them with a known copy. */
  async getMany(tenantId: string, scenarioId: string, itemIds: readonly string[]): Promise<Item[]> {
    if (itemIds.length === 0) return [];
    if (this.outage.suspected) return this.known(tenantId, scenarioId, itemIds);
    let found: Item[];
    try {
      found = await this.repository.getMany(tenantId, scenarioId, itemIds);
    } catch (error) {
      if (!this.outage.observe(error)) throw error;
      return this.known(tenantId, scenarioId, itemIds);
    }
    this.remember(tenantId, scenarioId, itemIds, found);
    return found;
  }

  private remember(tenantId: string, scenarioId: string, requested: readonly string[], found: readonly Item[]): void {
    for (const id of requested) this.items.delete(keyOf(tenantId, scenarioId, id));
    for (const item of found) this.items.set(keyOf(tenantId, scenarioId, item.item_id), item);
    for (const oldest of this.items.keys()) {
      if (this.items.size <= MAX_ITEMS) break;
      this.items.delete(oldest);
    }
  }

  private known(tenantId: string, scenarioId: string, itemIds: readonly string[]): Item[] {
    return itemIds.map((id) => this.items.get(keyOf(tenantId, scenarioId, id))).filter((item): item is Item => item !== undefined);
  }
}

const keyOf = (tenantId: string, scenarioId: string, itemId: string): string => `${tenantId}\u0000${scenarioId}\u0000${itemId}`;
