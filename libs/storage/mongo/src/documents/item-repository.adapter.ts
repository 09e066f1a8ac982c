import {
  checkMetadataField,
  DomainError,
  itemCategory,
  itemPublishedAt,
  ItemRepository,
  itemText,
  MetadataValueTally,
  type Item,
  type ItemFilter,
  type MetadataValueCounts,
  type MetadataValueOptions,
  type Page,
  type PageRequest,
} from '@lemo/domain';
import type { Connection } from 'mongoose';
import { byId, NEWEST_FIRST, StoredCollection, type CollectionSpec, type StoredFilter } from '../connection/stored-collection';
import { itemSearchFilter, SEARCH_FIELD } from './item-search';

const CATEGORY_FIELD = '_category';
const PUBLISHED_AT_FIELD = '_published_at';

const ITEMS: CollectionSpec = {
  name: 'items',
  entity: 'item',
  indexes: [
    [{ tenant_id: 1, scenario_id: 1, item_id: 1 }, { unique: true }],
    [{ tenant_id: 1, scenario_id: 1, created_at: -1 }, {}],
    [{ tenant_id: 1, scenario_id: 1, [CATEGORY_FIELD]: 1, created_at: -1 }, {}],
    [{ tenant_id: 1, scenario_id: 1, status: 1, [PUBLISHED_AT_FIELD]: -1 }, {}],
  ],
  derivedFields: [SEARCH_FIELD, CATEGORY_FIELD, PUBLISHED_AT_FIELD],
};

/**
 * Query helpers stored with each item. The category is a derived field rather
 * than a query on metadata.category, which would also match inside an array
 * value; the publish time is resolved once (metadata.publish_time as ms or
 * ISO, else created_at) so `latest` is one indexed sort.
 */
function derivedFields(item: Item): Record<string, unknown> {
  const publishedAt = itemPublishedAt(item);
  return {
    [SEARCH_FIELD]: itemText(item).toLowerCase(),
    [CATEGORY_FIELD]: itemCategory(item) ?? null,
    [PUBLISHED_AT_FIELD]: Number.isFinite(publishedAt) ? publishedAt : 0,
  };
}

const scope = (tenantId: string, scenarioId: string): StoredFilter => ({ tenant_id: tenantId, scenario_id: scenarioId });

/**
 * The `_id` an item is written under: its key, 'tenant|scenario|item'. Ids
 * never contain '|' (see clientId and tenantIdSchema); '%' and '|' are
 * percent-escaped anyway, so two keys can never share an `_id` (one would
 * replace the other).
 */
export function itemDocumentId(tenantId: string, scenarioId: string, itemId: string): string {
  return [tenantId, scenarioId, itemId].map((part) => part.replace(/[%|]/g, (char) => (char === '%' ? '%25' : '%7C'))).join('|');
}

const documentIdOf = (item: Item): string => itemDocumentId(item.tenant_id, item.scenario_id, item.item_id);

/** How many times upsertMany re-reads stored `_id`s after a unique index refused a write, before giving up. */
const RESOLVE_ROUNDS = 3;

export class MongoItemRepository extends ItemRepository {
  private readonly items: StoredCollection<Item>;

  constructor(connection: Connection) {
    super();
    this.items = new StoredCollection(connection, ITEMS, derivedFields);
  }

  /**
   * Writes each item under its key `_id` (itemDocumentId), in unordered bulk
   * writes (StoredCollection.replaceManyById), atomic per item. Why not replace by {tenant_id, scenario_id, item_id}
   * with `upsert: true`, as before: FerretDB (the dev stack's server, SQLite
   * backend) pushes only a lone `_id` equality down to SQLite and runs every
   * other filter, unique index or not, as a scan of the whole collection, so
   * each item cost one scan (1,000 items through the consumer: 1,631 s; see
   * docs/benchmarks.md). By `_id` an upsert reads one row, there and on MongoDB.
   *
   * Items stored before keyed ids have ObjectId `_id`s: for them the keyed
   * write is refused by the unique {tenant_id, scenario_id, item_id} index and
   * nothing is written. So is a writer's insert of a new item that another
   * writer inserted first (same `_id`). Either way the whole batch is written
   * again, each item under the `_id` it is now stored under (one read of the
   * batch's keys) or, if none, under its key: the lost insert becomes a
   * replace, the old document keeps its `_id`, and the index still holds one
   * document per item. Replacing whole items makes the repeat harmless; it is
   * repeated while a concurrent writer keeps winning (RESOLVE_ROUNDS).
   */
  async upsertMany(items: Item[]): Promise<void> {
    // Distinct `_id`s for one unordered write: an item named twice ends as its last version, as in order.
    const byId = new Map<string, Item>();
    for (const item of items) byId.set(documentIdOf(item), item);
    if (await this.items.replaceManyById([...byId].map(([_id, doc]) => ({ _id, doc })))) return;
    for (let round = 1; ; round++) {
      const stored = await this.storedIds([...byId.values()]);
      if (await this.items.replaceManyById([...byId].map(([key, doc]) => ({ _id: stored.get(key) ?? key, doc })))) return;
      if (round === RESOLVE_ROUNDS) {
        throw new DomainError('CONFLICT', `items kept being inserted concurrently: ${RESOLVE_ROUNDS} writes refused; retry the batch`);
      }
    }
  }

  /** The `_id` each of these items is stored under now, by key `_id`; one read per (tenant, scenario) of the batch. */
  private async storedIds(items: readonly Item[]): Promise<Map<string, unknown>> {
    const scopes = new Map<string, { tenantId: string; scenarioId: string; itemIds: string[] }>();
    for (const item of items) {
      const scopeKey = itemDocumentId(item.tenant_id, item.scenario_id, '');
      const entry = scopes.get(scopeKey) ?? { tenantId: item.tenant_id, scenarioId: item.scenario_id, itemIds: [] };
      entry.itemIds.push(item.item_id);
      scopes.set(scopeKey, entry);
    }
    const ids = new Map<string, unknown>();
    for (const { tenantId, scenarioId, itemIds } of scopes.values()) {
      const found = await this.items.findIds({ ...scope(tenantId, scenarioId), item_id: { $in: itemIds } }, ['item_id']);
      for (const { _id, item_id } of found) ids.set(itemDocumentId(tenantId, scenarioId, item_id as string), _id);
    }
    return ids;
  }

  /** By key `_id` first (one row on FerretDB); items stored before keyed ids are found by their fields. */
  async get(tenantId: string, scenarioId: string, itemId: string): Promise<Item | null> {
    return (
      (await this.items.findOne(byId(itemDocumentId(tenantId, scenarioId, itemId)))) ?? this.items.findOne({ ...scope(tenantId, scenarioId), item_id: itemId })
    );
  }

  getMany(tenantId: string, scenarioId: string, itemIds: readonly string[]): Promise<Item[]> {
    if (itemIds.length === 0) return Promise.resolve([]);
    return this.items.find({ ...scope(tenantId, scenarioId), item_id: { $in: [...itemIds] } });
  }

  list(tenantId: string, scenarioId: string, filter: ItemFilter, page: PageRequest): Promise<Page<Item>> {
    const query = scope(tenantId, scenarioId);
    if (filter.status !== undefined) query.status = filter.status;
    if (filter.category !== undefined) query[CATEGORY_FIELD] = filter.category;
    return this.items.page(query, NEWEST_FIRST, page);
  }

  search(tenantId: string, scenarioId: string, query: string, page: PageRequest): Promise<Page<Item>> {
    const words = itemSearchFilter(query);
    if (!words) return Promise.resolve({ items: [], total: 0, page: page.page, pageSize: page.pageSize });
    return this.items.page({ ...scope(tenantId, scenarioId), status: { $ne: 'deleted' }, ...words }, NEWEST_FIRST, page);
  }

  latest(tenantId: string, scenarioId: string, limit: number): Promise<Item[]> {
    if (limit <= 0) return Promise.resolve([]);
    return this.items.find({ ...scope(tenantId, scenarioId), status: 'active' }, { sort: { [PUBLISHED_AT_FIELD]: -1, _id: -1 }, limit });
  }

  hardDelete(tenantId: string, scenarioId: string, itemIds: readonly string[]): Promise<number> {
    if (itemIds.length === 0) return Promise.resolve(0);
    return this.items.deleteMany({ ...scope(tenantId, scenarioId), item_id: { $in: [...itemIds] } });
  }

  count(tenantId: string, scenarioId?: string): Promise<number> {
    return this.items.count(scenarioId === undefined ? { tenant_id: tenantId } : scope(tenantId, scenarioId));
  }

  /** Streams the one field of each item and tallies it here (FerretDB's aggregation cannot unwind and dedupe arrays alike). */
  async metadataValueCounts(tenantId: string, scenarioId: string, field: string, options: MetadataValueOptions = {}): Promise<MetadataValueCounts> {
    checkMetadataField(field);
    const tally = new MetadataValueTally(options);
    await this.items.forEachProjected({ ...scope(tenantId, scenarioId), status: { $ne: 'deleted' } }, [`metadata.${field}`], (item) =>
      tally.add(item.metadata?.[field]),
    );
    return tally.result();
  }
}
