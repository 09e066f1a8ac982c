import type { Item } from '@lemo/domain';
import type { RankedItem } from '../src/ranked-item';

export const NOW = Date.UTC(2026, 0, 15);
export const HOUR = 3_600_000;

/** An active item of tenant t1 / scenario s1 published `hoursAgo` before NOW. */
export function testItem(itemId: string, metadata: Record<string, unknown> = {}, hoursAgo = 24 * 365, overrides: Partial<Item> = {}): Item {
  const at = new Date(NOW - hoursAgo * HOUR).toISOString();
  return { tenant_id: 't1', scenario_id: 's1', item_id: itemId, status: 'active', metadata, created_at: at, updated_at: at, ...overrides };
}

/** Ranked items with the given ids and categories, scores descending from 1 in steps of 0.01. */
export function rankedList(entries: Array<[id: string, category?: string]>): RankedItem[] {
  return entries.map(([id, category], i) => ({
    item: testItem(id, category === undefined ? {} : { category }),
    score: 1 - i * 0.01,
    strategy: 'test',
    reason: 'test',
  }));
}
