import { itemCategory } from '@lemo/domain';
import { dot } from '@lemo/features';
import type { RankedItem } from '../ranked-item';

/** Category of each item as a small integer (-1 when it has none), for equality tests in loops. */
function categoryIds(pool: readonly RankedItem[], field: string): Int32Array {
  const ids = new Map<string, number>();
  const out = new Int32Array(pool.length);
  pool.forEach((r, i) => {
    const category = itemCategory(r.item, field);
    if (category === undefined) out[i] = -1;
    else {
      let id = ids.get(category);
      if (id === undefined) ids.set(category, (id = ids.size));
      out[i] = id;
    }
  });
  return out;
}

/** MMR looks at most this many times `count` of the best items: the tail cannot win a slot in practice. */
const MMR_POOL_FACTOR = 10;
const MMR_MIN_POOL = 100;

/**
 * Maximal marginal relevance: picks `count` items one at a time, each time the
 * one maximising λ·relevance − (1−λ)·(max similarity to those already picked).
 * Relevance is the score min-max scaled to [0, 1] over the considered pool
 * (the best max(100, 10·count) items). Similarity is the cosine of the two
 * items' vectors (clipped at 0) when both have one, else 1 for the same
 * category and 0 otherwise. `pool` must be sorted best first; ties keep that
 * order. Unit vectors are packed into one Float32Array, and the max similarity
 * to the picked set is updated incrementally: O(count · n · dimension).
 */
export function mmr(
  sorted: readonly RankedItem[],
  count: number,
  lambda: number,
  categoryField: string,
  vectors?: ReadonlyMap<string, Float32Array>,
): RankedItem[] {
  const pool = sorted.length > Math.max(MMR_MIN_POOL, MMR_POOL_FACTOR * count) ? sorted.slice(0, Math.max(MMR_MIN_POOL, MMR_POOL_FACTOR * count)) : sorted;
  const n = pool.length;
  const take = Math.min(count, n);
  if (take <= 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const r of pool) {
    if (r.score < min) min = r.score;
    if (r.score > max) max = r.score;
  }
  const span = max - min;
  const relevance = new Float64Array(n);
  for (let i = 0; i < n; i++) relevance[i] = span > 0 ? (pool[i].score - min) / span : 1;
  const categories = categoryIds(pool, categoryField);
  const { units, dimension, hasVector } = packUnitVectors(pool, vectors);

  const maxSimilarity = new Float64Array(n);
  const picked = new Uint8Array(n);
  const selected: RankedItem[] = [];
  for (let step = 0; step < take; step++) {
    let best = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < n; i++) {
      if (picked[i]) continue;
      const value = lambda * relevance[i] - (1 - lambda) * maxSimilarity[i];
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    picked[best] = 1;
    selected.push(pool[best]);
    if (step + 1 === take) break;
    const bestOffset = best * dimension;
    for (let i = 0; i < n; i++) {
      if (picked[i]) continue;
      let similarity: number;
      if (hasVector[i] && hasVector[best]) {
        const offset = i * dimension;
        similarity = 0;
        for (let d = 0; d < dimension; d++) similarity += units[offset + d] * units[bestOffset + d];
      } else {
        similarity = categories[i] !== -1 && categories[i] === categories[best] ? 1 : 0;
      }
      if (similarity > maxSimilarity[i]) maxSimilarity[i] = similarity;
    }
  }
  return selected;
}

/** Row i of `units` (length n · dimension) is item i's unit vector when hasVector[i]. Dimension = the first vector's. */
function packUnitVectors(pool: readonly RankedItem[], vectors?: ReadonlyMap<string, Float32Array>) {
  const n = pool.length;
  const hasVector = new Uint8Array(n);
  let dimension = 0;
  if (vectors) {
    for (const r of pool) {
      const vector = vectors.get(r.item.item_id);
      if (vector) {
        dimension = vector.length;
        break;
      }
    }
  }
  const units = new Float32Array(n * dimension);
  if (dimension === 0 || !vectors) return { units, dimension, hasVector };
  for (let i = 0; i < n; i++) {
    const vector = vectors.get(pool[i].item.item_id);
    if (!vector || vector.length !== dimension) continue;
    const length = Math.sqrt(dot(vector, vector));
    if (length === 0) continue;
    const offset = i * dimension;
    for (let d = 0; d < dimension; d++) units[offset + d] = vector[d] / length;
    hasVector[i] = 1;
  }
  return { units, dimension, hasVector };
}

/**
 * Fills `count` slots in score order, skipping an item while its category
 * already has `maxPerWindow` items among the previous `window − 1` slots, so
 * no `window` consecutive slots hold more than `maxPerWindow` of one category.
 * When no remaining item fits a slot, the best remaining one takes it (the
 * list is never cut short for diversity). Items without a category always fit.
 * `pool` must be sorted best first.
 */
export function categoryWindow(pool: readonly RankedItem[], count: number, window: number, maxPerWindow: number, categoryField: string): RankedItem[] {
  const n = pool.length;
  const take = Math.min(count, n);
  const categories = categoryIds(pool, categoryField);
  const inWindow = new Int32Array(n);
  const picked = new Uint8Array(n);
  const slots = new Int32Array(take);
  for (let slot = 0; slot < take; slot++) {
    if (slot >= window) {
      const leaving = categories[slots[slot - window]];
      if (leaving !== -1) inWindow[leaving]--;
    }
    let choice = -1;
    let fallback = -1;
    for (let i = 0; i < n; i++) {
      if (picked[i]) continue;
      if (fallback === -1) fallback = i;
      const category = categories[i];
      if (category === -1 || inWindow[category] < maxPerWindow) {
        choice = i;
        break;
      }
    }
    if (choice === -1) choice = fallback;
    picked[choice] = 1;
    slots[slot] = choice;
    if (categories[choice] !== -1) inWindow[categories[choice]]++;
  }
  return Array.from(slots, (i) => pool[i]);
}
