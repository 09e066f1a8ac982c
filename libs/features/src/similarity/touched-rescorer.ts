import { selectTop } from '../numeric/select-top';
import { CosineNeighbours } from './cosine-neighbours';
import type { NeighbourRows } from './neighbour-rows';
import { PairList } from './pair-list';
import type { UserItemMatrix } from './user-item-matrix';

/** Where untouched rows hold touched items: slots (row × capacity + position), grouped by the item held (CSR by item). */
export interface StaleEntries {
  start: Int32Array;
  slots: Int32Array;
}

/**
 * Step 1 of updateNeighbourRows, one touched item at a time (a plain method,
 * so the engine optimises it like the full build's loop): scores the item
 * against every item it shares a user with, refreshes the entries other rows
 * hold for it, collects offers for rows that do not hold it, and replaces
 * its own row. Marks rows `dirty` (to patch) and `changed` (to write).
 */
export class TouchedRescorer {
  /** (row, touched item, score) for untouched rows that may take the item in. */
  readonly offers = new PairList();
  private readonly scorer: CosineNeighbours;
  private readonly candidates: Int32Array;
  private readonly candidateScores: Float64Array;
  private readonly scoreOf: Float64Array;
  // holder[j] = i + 1 while touched item i is rescored and row j holds it.
  private readonly holder: Int32Array;
  private readonly bestIds: Int32Array;
  private readonly bestScores: Float64Array;

  constructor(
    private readonly rows: NeighbourRows,
    after: UserItemMatrix,
    private readonly touched: Uint8Array,
    private readonly stale: StaleEntries,
    private readonly changed: Uint8Array,
    private readonly dirty: Uint8Array,
    private readonly topK: number,
    shrinkage: number,
  ) {
    this.scorer = new CosineNeighbours(after, rows.capacity, shrinkage);
    this.candidates = new Int32Array(after.items);
    this.candidateScores = new Float64Array(after.items);
    this.scoreOf = new Float64Array(after.items);
    this.holder = new Int32Array(after.items);
    this.bestIds = new Int32Array(2 * rows.capacity);
    this.bestScores = new Float64Array(2 * rows.capacity);
  }

  rescore(item: number): void {
    const { rows, touched, stale, changed, dirty, candidates, candidateScores, scoreOf, holder, bestIds, bestScores, topK } = this;
    const capacity = rows.capacity;
    const n = this.scorer.scoreAll(item, candidates, candidateScores);
    for (let t = 0; t < n; t++) scoreOf[candidates[t]] = candidateScores[t];
    for (let s = stale.start[item]; s < stale.start[item + 1]; s++) {
      const slot = stale.slots[s];
      const row = (slot / capacity) | 0;
      holder[row] = item + 1;
      // 0: the two no longer share a user (every similarity of a shared user is > 0).
      const score = scoreOf[row];
      if (score === rows.scores[slot]) continue;
      if (score === 0) rows.ids[slot] = -1;
      else rows.scores[slot] = score;
      dirty[row] = 1;
      if (slot - row * capacity < topK) changed[row] = 1;
    }
    // One pass: offers to the rows that do not hold the item, and the item's own best, kept as in
    // CosineNeighbours.compute (a buffer of 2 × capacity behind a rising threshold, not a sort of all n).
    const { boundIds, boundScores } = rows;
    let size = 0;
    let threshold = -Infinity;
    let thresholdId = -1;
    for (let t = 0; t < n; t++) {
      const row = candidates[t];
      const score = candidateScores[t];
      scoreOf[row] = 0;
      if (touched[row] === 0 && holder[row] !== item + 1) {
        // Within the row's bound (NeighbourRows.withinBound), inlined: this loop runs once per candidate pair.
        const boundId = boundIds[row];
        if (boundId < 0 || score > boundScores[row] || (score === boundScores[row] && item <= boundId)) {
          this.offers.push(row, item, score);
          dirty[row] = 1;
        }
      }
      if (score < threshold || (score === threshold && row > thresholdId)) continue;
      bestIds[size] = row;
      bestScores[size] = score;
      if (++size === bestIds.length) {
        size = selectTop(bestIds, bestScores, size, capacity);
        threshold = bestScores[size - 1];
        thresholdId = bestIds[size - 1];
      }
    }
    size = selectTop(bestIds, bestScores, size, capacity);
    if (changed[item] === 0 && !sameTop(rows, item, bestIds, bestScores, size, topK)) changed[item] = 1;
    rows.set(item, bestIds, bestScores, n, true);
  }
}

/** Whether the row's current first min(K, count) entries are the given ones, scores bit for bit. */
export function sameTop(rows: NeighbourRows, row: number, ids: Int32Array, scores: Float64Array, count: number, topK: number): boolean {
  const n = Math.min(topK, count);
  if (Math.min(topK, rows.counts[row]) !== n) return false;
  const at = row * rows.capacity;
  for (let p = 0; p < n; p++) if (rows.ids[at + p] !== ids[p] || rows.scores[at + p] !== scores[p]) return false;
  return true;
}
