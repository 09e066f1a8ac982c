import {
  checkMetadataField,
  itemCategory,
  itemPublishedAt,
  ItemRepository,
  itemText,
  MetadataValueTally,
  offsetOf,
  type Item,
  type ItemFilter,
  type MetadataValueCounts,
  type MetadataValueOptions,
  type Page,
  type PageRequest,
} from '@lemo/domain';
import type { SqliteDatabase } from '../sqlite/sqlite-database';
import { guarded } from '../sqlite/sqlite-errors';
import { countTenantRows } from '../sqlite/count-rows';
import { parseBodies, parseBody, type BodyRow } from './json-body';
import { itemSearchCondition } from './item-search';

const UPSERT = `
  INSERT INTO items (tenant_id, scenario_id, item_id, status, category, published_at, created_at, search_text, body)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (tenant_id, scenario_id, item_id) DO UPDATE SET
    status = excluded.status, category = excluded.category, published_at = excluded.published_at,
    created_at = excluded.created_at, search_text = excluded.search_text, body = excluded.body`;

/** Newest first; rowid breaks ties between items created in the same millisecond. */
const NEWEST_FIRST = 'ORDER BY created_at DESC, rowid DESC';

export class SqliteItemRepository extends ItemRepository {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  upsertMany(items: Item[]): Promise<void> {
    return guarded(() =>
      this.db.write(() => {
        const upsert = this.db.statement(UPSERT);
        for (const item of items) {
          const publishedAt = itemPublishedAt(item);
          upsert.run(
            item.tenant_id,
            item.scenario_id,
            item.item_id,
            item.status,
            itemCategory(item) ?? null,
            Number.isFinite(publishedAt) ? publishedAt : 0,
            item.created_at,
            itemText(item).toLowerCase(),
            JSON.stringify(item),
          );
        }
      }),
    );
  }

  get(tenantId: string, scenarioId: string, itemId: string): Promise<Item | null> {
    return guarded(() =>
      parseBody<Item>(
        this.db.statement('SELECT body FROM items WHERE tenant_id = ? AND scenario_id = ? AND item_id = ?').get(tenantId, scenarioId, itemId) as
          BodyRow | undefined,
      ),
    );
  }

  getMany(tenantId: string, scenarioId: string, itemIds: readonly string[]): Promise<Item[]> {
    if (itemIds.length === 0) return Promise.resolve([]);
    return guarded(() =>
      parseBodies<Item>(
        this.db
          .statement('SELECT body FROM items WHERE tenant_id = ? AND scenario_id = ? AND item_id IN (SELECT value FROM json_each(?))')
          .all(tenantId, scenarioId, JSON.stringify(itemIds)) as BodyRow[],
      ),
    );
  }

  list(tenantId: string, scenarioId: string, filter: ItemFilter, page: PageRequest): Promise<Page<Item>> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (filter.status !== undefined) {
      conditions.push('status = ?');
      params.push(filter.status);
    }
    if (filter.category !== undefined) {
      conditions.push('category = ?');
      params.push(filter.category);
    }
    return this.page(tenantId, scenarioId, conditions, params, page);
  }

  search(tenantId: string, scenarioId: string, query: string, page: PageRequest): Promise<Page<Item>> {
    const condition = itemSearchCondition(query);
    return this.page(tenantId, scenarioId, ["status <> 'deleted'", condition.sql], condition.params, page);
  }

  latest(tenantId: string, scenarioId: string, limit: number): Promise<Item[]> {
    return guarded(() =>
      parseBodies<Item>(
        this.db
          .statement("SELECT body FROM items WHERE tenant_id = ? AND scenario_id = ? AND status = 'active' ORDER BY published_at DESC, rowid DESC LIMIT ?")
          .all(tenantId, scenarioId, limit) as BodyRow[],
      ),
    );
  }

  hardDelete(tenantId: string, scenarioId: string, itemIds: readonly string[]): Promise<number> {
    if (itemIds.length === 0) return Promise.resolve(0);
    return guarded(
      () =>
        this.db
          .statement('DELETE FROM items WHERE tenant_id = ? AND scenario_id = ? AND item_id IN (SELECT value FROM json_each(?))')
          .run(tenantId, scenarioId, JSON.stringify(itemIds)).changes,
    );
  }

  count(tenantId: string, scenarioId?: string): Promise<number> {
    return guarded(() => countTenantRows(this.db, 'items', tenantId, scenarioId));
  }

  /** The field's raw JSON per item, tallied in JS so that every adapter counts alike; iterate() keeps memory flat. */
  metadataValueCounts(tenantId: string, scenarioId: string, field: string, options: MetadataValueOptions = {}): Promise<MetadataValueCounts> {
    return guarded(() => {
      checkMetadataField(field);
      const tally = new MetadataValueTally(options);
      const rows = this.db
        .statement(
          `SELECT json_extract(body, '$.metadata.' || ?) AS value, json_type(body, '$.metadata.' || ?) AS type FROM items WHERE tenant_id = ? AND scenario_id = ? AND status <> 'deleted'`,
        )
        .iterate(field, field, tenantId, scenarioId) as Iterable<{ value: unknown; type: string | null }>;
      for (const row of rows) tally.add(jsonValue(row.value, row.type));
      return tally.result();
    });
  }

  private page(tenantId: string, scenarioId: string, conditions: readonly string[], params: readonly unknown[], page: PageRequest): Promise<Page<Item>> {
    return guarded(() => {
      const where = ['tenant_id = ?', 'scenario_id = ?', ...conditions].join(' AND ');
      const all = [tenantId, scenarioId, ...params];
      const { total } = this.db.statement(`SELECT COUNT(*) AS total FROM items WHERE ${where}`).get(...all) as { total: number };
      const rows = this.db
        .statement(`SELECT body FROM items WHERE ${where} ${NEWEST_FIRST} LIMIT ? OFFSET ?`)
        .all(...all, page.pageSize, offsetOf(page)) as BodyRow[];
      return { items: parseBodies<Item>(rows), total, page: page.page, pageSize: page.pageSize };
    });
  }
}

/** json_extract returns arrays and objects as JSON text, booleans as 0/1: json_type tells which. */
function jsonValue(value: unknown, type: string | null): unknown {
  if (type === 'array' || type === 'object') return JSON.parse(String(value));
  if (type === 'true') return true;
  if (type === 'false') return false;
  return value;
}
