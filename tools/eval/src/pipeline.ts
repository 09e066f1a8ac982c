import { SCORE_NORMALIZATIONS, type ScoreNormalization } from '@lemo/domain';
import { normalizedScore, ScoreAccumulator } from '@lemo/recall';
import type { RankedList } from './ranking';

/**
 * How a strategy's raw scores are mapped to [0, 1] before the weighted sum:
 * the scenario config's `recall.normalization`, applied by the product's own
 * function (max: score / best, as strategies serve them; minmax; rank).
 */
export type Normalization = ScoreNormalization;

export const NORMALIZATIONS: readonly Normalization[] = SCORE_NORMALIZATIONS;

/** A strategy's candidates for one user with scores in [0, 1], best first. */
export interface Candidates {
  items: Int32Array;
  scores: Float32Array;
}

export function normalize(list: RankedList, how: Normalization): Candidates {
  const n = list.items.length;
  const scores = new Float32Array(n);
  if (n === 0) return { items: list.items, scores };
  const best = list.scores[0];
  const worst = list.scores[n - 1];
  for (let r = 0; r < n; r++) scores[r] = normalizedScore(how, list.scores[r], r, n, best, worst);
  return { items: list.items, scores };
}

/**
 * The product's recall merge (RecallService): score(item) = Σ weight × score
 * over the strategies that returned it, summed in the product's
 * ScoreAccumulator; the best `k` totals, ties to the item added first.
 */
export function fuse(lists: readonly Candidates[], weights: readonly number[], k: number): Int32Array {
  const accumulator = new ScoreAccumulator();
  lists.forEach((list, s) => {
    const weight = weights[s];
    if (!(weight > 0)) return;
    for (let r = 0; r < list.items.length; r++) accumulator.add(itemKey(list.items[r]), weight * list.scores[r], r, s);
  });
  return Int32Array.from(accumulator.top(k), (slot) => Number(accumulator.id(slot)));
}

const keys: string[] = [];
/** The accumulator keys items by string id; item indices are interned once. */
function itemKey(item: number): string {
  return (keys[item] ??= String(item));
}
