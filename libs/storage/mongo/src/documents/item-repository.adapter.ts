import {
  checkMetadataField,
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
import { NEWEST_FIRST, StoredCollection, type CollectionSpec, type StoredFilter } from '../connection/stored-collection';
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

export class MongoItemRepository extends ItemRepository {
  private readonly items: StoredCollection<Item>;

  constructor(connection: Connection) {
    super();
    this.items = new StoredCollection(connection, ITEMS, derivedFields);
  }

  /** One ordered bulk write, atomic per item (see StoredCollection.upsertMany). */
  upsertMany(items: Item[]): Promise<void> {
    return this.items.upsertMany(items.map((item) => ({ filter: { ...scope(item.tenant_id, item.scenario_id), item_id: item.item_id }, doc: item })));
  }

  get(tenantId: string, scenarioId: string, itemId: string): Promise<Item | null> {
    return this.items.findOne({ ...scope(tenantId, scenarioId), item_id: itemId });
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
