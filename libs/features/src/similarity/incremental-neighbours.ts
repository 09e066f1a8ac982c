import type { TrainingPacer } from '../models/training-pacer';
import { selectTop } from '../numeric/select-top';
import { CosineNeighbours } from './cosine-neighbours';
import type { NeighbourRows } from './neighbour-rows';
import { touchedItems } from './touched-items';
import { sameTop, TouchedRescorer, type StaleEntries } from './touched-rescorer';
import type { UserItemMatrix } from './user-item-matrix';

export interface NeighbourUpdate {
  /** Items whose top-K list differs from before, or that are new: the lists to write. */
  changed: Int32Array;
  /** Items whose column changed (rescored in full). */
  touched: number;
  /** Other rows patched in place with the touched items' new scores. */
  patched: number;
  /** Patched rows left with fewer than K entries above their bound, so rescored in full. */
  recomputed: number;
}

/**
 * Brings `rows` (computed on `before`) to what a full build on `after` gives,
 * exactly, where `after` differs from `before` only in the rows of `users`:
 *
 * 1. Touched items (touchedItems) are rescored in full. Scoring item i yields
 *    sim(i, j) for every j, which is also sim(j, i) bit for bit.
 * 2. Every other row j only needs its entries for touched items: an entry it
 *    holds gets its new score (or goes, when the two no longer share a user);
 *    a touched item it does not hold is inserted when it ranks within the
 *    row's bound (NeighbourRows). Entries that fell below the bound are
 *    dropped, since an unknown candidate may now precede them.
 * 3. A row left with fewer than K entries above its bound is rescored in full.
 *
 * Cost: the touched items' rows (Σ over their users of the users' item
 * counts, as in a full build), plus O(items × capacity) to find the rows that
 * hold touched items, instead of every row. With skewed popularity the
 * touched items include the popular ones, whose rows are the expensive ones,
 * and whose new norms change an entry of most lists: see docs/benchmarks.md.
 * `pacer` (progress 0–100 of this step) yields to the event loop between items.
 */
export async function updateNeighbourRows(
  rows: NeighbourRows,
  before: UserItemMatrix,
  after: UserItemMatrix,
  users: Int32Array,
  topK: number,
  shrinkage: number,
  pacer?: TrainingPacer,
): Promise<NeighbourUpdate> {
  const capacity = rows.capacity;
  const oldItems = rows.items;
  rows.ensureItems(after.items);
  const touched = touchedItems(before, after, users);
  const changed = new Uint8Array(after.items).fill(1, oldItems);
  const dirty = new Uint8Array(after.items);
  const rescorer = new TouchedRescorer(rows, after, touched, staleEntries(rows, oldItems, touched), changed, dirty, topK, shrinkage);
  let touchedCount = 0;
  for (let item = 0; item < after.items; item++) {
    if (touched[item] === 0) continue;
    touchedCount++;
    await pacer?.checkpoint((80 * item) / after.items, 'similarity');
    rescorer.rescore(item);
  }

  const scorer = new CosineNeighbours(after, capacity, shrinkage);
  const candidates = new Int32Array(capacity);
  const candidateScores = new Float64Array(capacity);
  const offersByRow = rescorer.offers.groupByRow(after.items);
  const scratchIds = new Int32Array(capacity + offersByRow.longest);
  const scratchScores = new Float64Array(capacity + offersByRow.longest);
  let patched = 0;
  let recomputed = 0;
  for (let row = 0; row < oldItems; row++) {
    if (dirty[row] === 0 || touched[row] === 1) continue;
    if ((patched & 63) === 0) await pacer?.checkpoint(80 + (20 * row) / oldItems, 'similarity');
    const at = row * capacity;
    let kept = 0;
    for (let p = 0; p < rows.counts[row]; p++) {
      const id = rows.ids[at + p];
      const score = rows.scores[at + p];
      if (id < 0 || !rows.withinBound(row, score, id)) continue;
      scratchIds[kept] = id;
      scratchScores[kept++] = score;
    }
    for (let o = offersByRow.start[row]; o < offersByRow.start[row + 1]; o++) {
      scratchIds[kept] = offersByRow.items[o];
      scratchScores[kept++] = offersByRow.scores[o];
    }
    selectTop(scratchIds, scratchScores, kept, kept);
    if (rows.boundIds[row] >= 0 && kept < topK) {
      const count = scorer.compute(row, candidates, candidateScores);
      if (changed[row] === 0 && !sameTop(rows, row, candidates, candidateScores, count, topK)) changed[row] = 1;
      rows.set(row, candidates, candidateScores, count, count < capacity);
      recomputed++;
    } else {
      if (changed[row] === 0 && !sameTop(rows, row, scratchIds, scratchScores, kept, topK)) changed[row] = 1;
      rows.setEntries(row, scratchIds, scratchScores, kept);
      patched++;
    }
  }
  return { changed: indicesOf(changed), touched: touchedCount, patched, recomputed };
}

/** Slots (row × capacity + position) of untouched rows that hold a touched item, grouped by that item (CSR by item). */
function staleEntries(rows: NeighbourRows, oldItems: number, touched: Uint8Array): StaleEntries {
  const { capacity, ids, counts } = rows;
  const start = new Int32Array(touched.length + 1);
  for (let row = 0; row < oldItems; row++) {
    if (touched[row] === 1) continue;
    for (let slot = row * capacity; slot < row * capacity + counts[row]; slot++) if (touched[ids[slot]] === 1) start[ids[slot] + 1]++;
  }
  for (let i = 0; i < touched.length; i++) start[i + 1] += start[i];
  const slots = new Int32Array(start[touched.length]);
  const fill = start.slice(0, touched.length);
  for (let row = 0; row < oldItems; row++) {
    if (touched[row] === 1) continue;
    for (let slot = row * capacity; slot < row * capacity + counts[row]; slot++) if (touched[ids[slot]] === 1) slots[fill[ids[slot]]++] = slot;
  }
  return { start, slots };
}

function indicesOf(flags: Uint8Array): Int32Array {
  let n = 0;
  for (let i = 0; i < flags.length; i++) n += flags[i];
  const indices = new Int32Array(n);
  for (let i = 0, k = 0; i < flags.length; i++) if (flags[i] === 1) indices[k++] = i;
  return indices;
}
