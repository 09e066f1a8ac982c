import { ItemRepository, itemPublishedAt, type Item, type MetadataValueCounts, type Page } from '@lemo/domain';

/** ItemRepository serving `latest` and `getMany` from a fixed list; everything else throws. */
export class InMemoryItemRepository extends ItemRepository {
  constructor(private readonly items: readonly Item[]) {
    super();
  }

  async latest(tenantId: string, scenarioId: string, limit: number): Promise<Item[]> {
    return this.items
      .filter((i) => i.tenant_id === tenantId && i.scenario_id === scenarioId && i.status === 'active')
      .sort((a, b) => itemPublishedAt(b) - itemPublishedAt(a))
      .slice(0, limit);
  }

  async getMany(tenantId: string, scenarioId: string, itemIds: readonly string[]): Promise<Item[]> {
    const wanted = new Set(itemIds);
    return this.items.filter((i) => i.tenant_id === tenantId && i.scenario_id === scenarioId && wanted.has(i.item_id));
  }

  upsertMany(): Promise<void> {
    throw new Error('InMemoryItemRepository.upsertMany: unexpected call');
  }
  get(): Promise<Item | null> {
    throw new Error('InMemoryItemRepository.get: unexpected call');
  }
  list(): Promise<Page<Item>> {
    throw new Error('InMemoryItemRepository.list: unexpected call');
  }
  search(): Promise<Page<Item>> {
    throw new Error('InMemoryItemRepository.search: unexpected call');
  }
  hardDelete(): Promise<number> {
    throw new Error('InMemoryItemRepository.hardDelete: unexpected call');
  }
  count(): Promise<number> {
    throw new Error('InMemoryItemRepository.count: unexpected call');
  }
  metadataValueCounts(): Promise<MetadataValueCounts> {
    throw new Error('InMemoryItemRepository.metadataValueCounts: unexpected call');
  }
}
