import type { BusinessRule } from '@lemo/domain';
import { matchesCondition } from '../condition';
import type { RankedItem } from '../ranked-item';

/** An item a pin rule moves to a fixed slot of the final list. */
export interface PinnedItem {
  ranked: RankedItem;
  position: number;
}

/**
 * A rule targets an item when it lists its id or the item satisfies its
 * condition (either form selects; a rule with both selects the union).
 */
export function ruleTargets(rule: BusinessRule, ranked: RankedItem): boolean {
  if (rule.item_ids?.includes(ranked.item.item_id)) return true;
  return rule.condition !== undefined && matchesCondition(ranked.item, rule.condition);
}

/**
 * Applies the rules to copies of the items, in rule order: `filter` removes,
 * `boost` / `bury` multiply the score by `factor`, `pin` takes the item out of
 * the ranked pool and assigns it a slot (`position`, the next ones for further
 * ids of the same rule; an item pinned twice keeps its first pin). Pins only
 * move candidates that are present: a pin cannot add an item ranking dropped.
 */
export function applyBusinessRules(ranked: readonly RankedItem[], rules: readonly BusinessRule[]): { pool: RankedItem[]; pinned: PinnedItem[] } {
  let pool = ranked.map((r) => ({ ...r }));
  const pinned: PinnedItem[] = [];
  for (const rule of rules) {
    switch (rule.type) {
      case 'filter':
        pool = pool.filter((r) => !ruleTargets(rule, r));
        pinned.splice(0, pinned.length, ...pinned.filter((p) => !ruleTargets(rule, p.ranked)));
        break;
      case 'boost':
      case 'bury': {
        const factor = rule.factor ?? 1;
        for (const r of pool) if (ruleTargets(rule, r)) r.score *= factor;
        break;
      }
      case 'pin': {
        const base = rule.position ?? 0;
        const ids = rule.item_ids ?? [];
        const targets = pool.filter((r) => ruleTargets(rule, r));
        // Listed ids keep their listed order; condition matches follow in rank order.
        targets.sort((a, b) => rank(ids, a.item.item_id) - rank(ids, b.item.item_id));
        targets.forEach((r, offset) => pinned.push({ ranked: r, position: base + offset }));
        const taken = new Set(targets);
        pool = pool.filter((r) => !taken.has(r));
        break;
      }
    }
  }
  return { pool, pinned };
}

function rank(ids: readonly string[], id: string): number {
  const at = ids.indexOf(id);
  return at === -1 ? ids.length : at;
}

/**
 * Places pinned items at their slots of a list of at most `count` and fills
 * the other slots with `ordered` in order. A slot already taken (or beyond the
 * end) moves the pin to the nearest free slot after it, else before it.
 */
export function placePins(ordered: readonly RankedItem[], pinned: readonly PinnedItem[], count: number): RankedItem[] {
  const total = Math.min(count, ordered.length + pinned.length);
  const slots: Array<RankedItem | undefined> = new Array(total);
  const byPosition = [...pinned].sort((a, b) => a.position - b.position);
  for (const pin of byPosition) {
    let slot = Math.min(pin.position, total - 1);
    while (slot < total && slots[slot] !== undefined) slot++;
    if (slot === total) {
      slot = Math.min(pin.position, total - 1);
      while (slot >= 0 && slots[slot] !== undefined) slot--;
    }
    if (slot >= 0) slots[slot] = pin.ranked;
  }
  let next = 0;
  for (let slot = 0; slot < total; slot++) if (slots[slot] === undefined) slots[slot] = ordered[next++];
  return slots.filter((r): r is RankedItem => r !== undefined);
}
