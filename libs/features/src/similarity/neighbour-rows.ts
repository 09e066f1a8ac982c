/**
 * Every item's best neighbours, kept in memory between builds so that an
 * incremental update can patch them: per item a row of up to `capacity`
 * (item, score) entries, best first (score descending, then item ascending,
 * selectTop's order), in fixed slots of two typed arrays.
 *
 * Invariant: a row's entries carry exact current scores, and every candidate
 * not in the row (an item sharing a user with it) ranks after the row's bound
 * (boundScore, boundId). A row that held every candidate when computed has no
 * bound (boundId -1). The capacity is topK plus a margin: when an update drops
 * or lowers entries below the bound, the row still knows its exact top K as
 * long as K entries remain above the bound; only a row that falls short is
 * recomputed. Memory: items × capacity × 12 bytes (100k items, capacity 75:
 * 90 MB), the price of not rescoring every row an update touches.
 */
export class NeighbourRows {
  ids: Int32Array;
  scores: Float64Array;
  counts: Int32Array;
  boundScores: Float64Array;
  boundIds: Int32Array;

  constructor(
    readonly capacity: number,
    items: number,
  ) {
    this.ids = new Int32Array(items * capacity);
    this.scores = new Float64Array(items * capacity);
    this.counts = new Int32Array(items);
    this.boundScores = new Float64Array(items);
    this.boundIds = new Int32Array(items).fill(-1);
  }

  get items(): number {
    return this.counts.length;
  }

  /** Room for `items` rows; new rows are empty and unbounded (they have no candidates yet). */
  ensureItems(items: number): void {
    if (items <= this.counts.length) return;
    const old = this.counts.length;
    this.ids = grow(this.ids, new Int32Array(items * this.capacity));
    this.scores = grow(this.scores, new Float64Array(items * this.capacity));
    this.counts = grow(this.counts, new Int32Array(items));
    this.boundScores = grow(this.boundScores, new Float64Array(items));
    this.boundIds = grow(this.boundIds, new Int32Array(items));
    this.boundIds.fill(-1, old);
  }

  /**
   * Replaces the row with the first `count` entries of the given arrays (best
   * first). `complete`: these are all of its candidates; otherwise everything
   * else ranks after the last entry, which becomes the bound.
   */
  set(item: number, ids: Int32Array, scores: Float64Array, count: number, complete: boolean): void {
    const n = Math.min(count, this.capacity);
    const at = item * this.capacity;
    this.ids.set(ids.subarray(0, n), at);
    this.scores.set(scores.subarray(0, n), at);
    this.counts[item] = n;
    const bounded = !complete || count > this.capacity;
    this.boundIds[item] = bounded ? ids[n - 1] : -1;
    this.boundScores[item] = bounded ? scores[n - 1] : 0;
  }

  /** Replaces the entries, keeping the bound (the entries are the row's known ones that rank before it). */
  setEntries(item: number, ids: Int32Array, scores: Float64Array, count: number): void {
    if (count > this.capacity) {
      this.set(item, ids, scores, count, false);
      return;
    }
    const at = item * this.capacity;
    this.ids.set(ids.subarray(0, count), at);
    this.scores.set(scores.subarray(0, count), at);
    this.counts[item] = count;
  }

  /** Whether (score, id) ranks at or before the row's bound, i.e. is known to be in the row's true ranking ahead of every unknown candidate. */
  withinBound(item: number, score: number, id: number): boolean {
    const boundId = this.boundIds[item];
    if (boundId < 0) return true;
    const bound = this.boundScores[item];
    return score > bound || (score === bound && id <= boundId);
  }
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
