import type { Condition, Metadata } from '@lemo/domain';
import { matchesCondition } from '@lemo/ranking';

/**
 * Whether a user's attributes meet every targeting condition. Condition
 * fields are dotted paths into the attributes (`country`, `plan.tier`) and the
 * operators mean what they mean in business rules (eq, in, gt, contains, ...),
 * because it is the very same evaluator. A missing attribute never equals
 * anything, so `eq`/`in` targeting leaves users without the attribute out.
 */
export function meetsTargeting(attributes: Metadata, conditions: readonly Condition[]): boolean {
  if (conditions.length === 0) return true;
  // The evaluator reads items; attributes play the item's metadata, and the
  // `metadata.` prefix stops fields named `status` or `item_id` from reading the stand-in's own.
  const subject = { item_id: '', status: 'active' as const, metadata: attributes };
  return conditions.every((condition) => matchesCondition(subject, { ...condition, field: `metadata.${condition.field}` }));
}
