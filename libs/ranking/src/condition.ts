import type { Condition, Item } from '@lemo/domain';

/**
 * The value a condition's field names: `item_id` and `status` are the item's
 * own; anything else is a dotted path into metadata (`metadata.` prefix
 * optional), e.g. `brand`, `specs.color`. Only own properties are followed.
 */
export function fieldValue(item: Pick<Item, 'item_id' | 'status' | 'metadata'>, field: string): unknown {
  if (field === 'item_id') return item.item_id;
  if (field === 'status') return item.status;
  const path = field.startsWith('metadata.') ? field.slice('metadata.'.length) : field;
  let value: unknown = item.metadata;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.prototype.hasOwnProperty.call(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * Whether an item satisfies a condition (business rules, request filters).
 * - eq / ne: strict equality (arrays element-wise); a missing field is never equal.
 * - in / nin: the value is a list; an array field matches when any element is listed.
 * - gt / gte / lt / lte: numbers numerically, strings lexicographically; a number
 *   against a date string compares as unix ms. Other mixes never match.
 * - contains: case-insensitive substring of a string field, or an element of an
 *   array field (strings compared case-insensitively).
 * The negative ops (ne, nin) match a missing field.
 */
export function matchesCondition(item: Pick<Item, 'item_id' | 'status' | 'metadata'>, condition: Condition): boolean {
  const actual = fieldValue(item, condition.field);
  const expected = condition.value;
  switch (condition.op) {
    case 'eq':
      return actual !== undefined && equal(actual, expected);
    case 'ne':
      return actual === undefined || !equal(actual, expected);
    case 'in':
      return isListed(actual, expected);
    case 'nin':
      return !isListed(actual, expected);
    case 'gt':
      return compare(actual, expected) > 0;
    case 'gte':
      return compare(actual, expected) >= 0;
    case 'lt':
      return compare(actual, expected) < 0;
    case 'lte':
      return compare(actual, expected) <= 0;
    case 'contains':
      return contains(actual, expected);
  }
}

function equal(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  return a === b;
}

function isListed(actual: unknown, list: unknown): boolean {
  if (!Array.isArray(list) || actual === undefined) return false;
  if (Array.isArray(actual)) return actual.some((element) => list.some((listed) => equal(element, listed)));
  return list.some((listed) => equal(actual, listed));
}

/** Sign of actual − expected, or NaN when they are not comparable (NaN fails every comparison). */
function compare(actual: unknown, expected: unknown): number {
  if (typeof actual === 'number' && typeof expected === 'number') return Math.sign(actual - expected);
  if (typeof actual === 'string' && typeof expected === 'string') return actual < expected ? -1 : actual > expected ? 1 : 0;
  if (typeof actual === 'number' && typeof expected === 'string') return Math.sign(actual - Date.parse(expected));
  if (typeof actual === 'string' && typeof expected === 'number') return Math.sign(Date.parse(actual) - expected);
  return Number.NaN;
}

function contains(actual: unknown, expected: unknown): boolean {
  const needle = typeof expected === 'string' ? expected.toLowerCase() : expected;
  if (typeof actual === 'string') return typeof needle === 'string' && actual.toLowerCase().includes(needle);
  if (Array.isArray(actual)) return actual.some((element) => (typeof element === 'string' ? element.toLowerCase() === needle : equal(element, expected)));
  return false;
}
