import { itemCategory, type Item, type ScenarioConfig } from '@lemo/domain';
import { matchesCondition } from '@lemo/ranking';
import type { RecommendFilters } from './recommend-request';

/** Combines the request's filters with the scenario's into one item predicate. */
export function buildItemFilter(filters: RecommendFilters, config: ScenarioConfig): (item: Item) => boolean {
  const include = filters.categories.length ? new Set(filters.categories) : null;
  const excluded = new Set([...filters.exclude_categories, ...config.filters.exclude_categories]);
  const conditions = [...config.filters.conditions, ...filters.conditions];
  const categoryField = config.rerank.diversity.category_field;
  return (item) => {
    if (item.status !== 'active') return false;
    const category = itemCategory(item, categoryField) ?? itemCategory(item);
    if (include && (!category || !include.has(category))) return false;
    if (category && excluded.has(category)) return false;
    return conditions.every((condition) => matchesCondition(item, condition));
  };
}
