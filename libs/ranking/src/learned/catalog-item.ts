import { itemCategory, itemPublishedAt, itemTags, type Item } from '@lemo/domain';
import type { RankingItem } from './ranking-example';

/** A catalogue item as the learned rankers read it (well-known metadata keys only). */
export function rankingItemFromItem(item: Pick<Item, 'item_id' | 'metadata' | 'created_at'>, categoryField = 'category'): RankingItem {
  const publishedAt = itemPublishedAt(item);
  return {
    itemId: item.item_id,
    category: itemCategory(item, categoryField),
    tags: itemTags(item),
    publishedAt: Number.isNaN(publishedAt) ? undefined : publishedAt,
  };
}
