import { selectTop } from '../numeric/select-top';
import type { UserItemMatrix } from './user-item-matrix';

/**
 * Item-item cosine with shrinkage, one item at a time:
 *   sim(i, j) = Σ_u w(u,i)·w(u,j) / (sqrt(n_i · n_j) + shrinkage),  n_i = Σ_u w(u,i)²
 * The shrinkage term pulls pairs seen by few users towards 0, so a single
 * shared user does not make two niche items look identical.
 * Co-occurrences are accumulated row-wise into a dense scratch array (the
 * sparse product of the item's column with the matrix), touching only items
 * that share a user. The top K are kept in a 2K buffer behind a rising
 * threshold: most candidates cost one comparison, and every K admissions
 * cost one O(K) selection. Scratch space is reused: nothing is allocated per item.
 */
export class CosineNeighbours {
  private readonly accumulator: Float64Array;
  private readonly touched: Int32Array;
  private readonly bufferIds: Int32Array;
  private readonly bufferScores: Float64Array;
  /** sqrt(n_i), computed once. */
  private readonly itemNorms: Float64Array;

  constructor(
    private readonly matrix: UserItemMatrix,
    readonly topK: number,
    private readonly shrinkage: number,
  ) {
    this.accumulator = new Float64Array(matrix.items);
    this.touched = new Int32Array(matrix.items);
    this.bufferIds = new Int32Array(2 * topK);
    this.bufferScores = new Float64Array(2 * topK);
    this.itemNorms = matrix.itemNorm2.map(Math.sqrt);
  }

  /** Writes item's best neighbours (best first) into the out arrays (length >= topK); returns their count. */
  compute(item: number, outItems: Int32Array, outScores: Float64Array): number {
    const { accumulator, touched, itemNorms, bufferIds, bufferScores, topK, shrinkage } = this;
    const touchedCount = this.accumulate(item);
    const itemNorm = itemNorms[item];
    const capacity = bufferIds.length;
    let threshold = -Infinity;
    let thresholdId = -1;
    let size = 0;
    for (let t = 0; t < touchedCount; t++) {
      const other = touched[t];
      const score = accumulator[other] / (itemNorm * itemNorms[other] + shrinkage);
      accumulator[other] = 0;
      // Not better than the K-th best of a subset: K others beat it, so it cannot be in the top K.
      if (score < threshold || (score === threshold && other > thresholdId)) continue;
      bufferIds[size] = other;
      bufferScores[size] = score;
      if (++size === capacity) {
        size = selectTop(bufferIds, bufferScores, size, topK);
        threshold = bufferScores[size - 1];
        thresholdId = bufferIds[size - 1];
      }
    }
    size = selectTop(bufferIds, bufferScores, size, topK);
    outItems.set(bufferIds.subarray(0, size));
    outScores.set(bufferScores.subarray(0, size));
    return size;
  }

  /**
   * Every item sharing a user with `item`, with its similarity (bit for bit what
   * compute gives, and what compute of the other item gives for this pair: the
   * products are exact and both sum over the shared users in ascending order),
   * unordered, into the out arrays (length >= matrix.items); returns the count.
   */
  scoreAll(item: number, outItems: Int32Array, outScores: Float64Array): number {
    const { accumulator, touched, itemNorms, shrinkage } = this;
    const touchedCount = this.accumulate(item);
    const itemNorm = itemNorms[item];
    for (let t = 0; t < touchedCount; t++) {
      const other = touched[t];
      outItems[t] = other;
      outScores[t] = accumulator[other] / (itemNorm * itemNorms[other] + shrinkage);
      accumulator[other] = 0;
    }
    return touchedCount;
  }

  /** Σ_u w(u,item)·w(u,other) into accumulator[other] for every other item of item's users (listed in `touched`); returns their count. */
  private accumulate(item: number): number {
    const { itemPtr, itemUsers, itemWeights, userPtr, userItems, userWeights } = this.matrix;
    const { accumulator, touched } = this;
    let touchedCount = 0;
    for (let p = itemPtr[item]; p < itemPtr[item + 1]; p++) {
      const user = itemUsers[p];
      const weight = itemWeights[p];
      for (let q = userPtr[user]; q < userPtr[user + 1]; q++) {
        const other = userItems[q];
        if (other === item) continue;
        if (accumulator[other] === 0) touched[touchedCount++] = other;
        accumulator[other] += weight * userWeights[q];
      }
    }
    return touchedCount;
  }
}
