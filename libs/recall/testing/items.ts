import type { Item } from '@lemo/domain';

/** An active item of tenant t1 / scenario s1 published at `publishedAt` (unix ms). */
export function testItem(itemId: string, metadata: Record<string, unknown> = {}, publishedAt = 0, overrides: Partial<Item> = {}): Item {
  const at = new Date(publishedAt).toISOString();
  return { tenant_id: 't1', scenario_id: 's1', item_id: itemId, status: 'active', metadata, created_at: at, updated_at: at, ...overrides };
}
