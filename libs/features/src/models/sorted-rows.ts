import type { UserItemMatrix } from '../similarity/user-item-matrix';

/**
 * A copy of the matrix's user rows with each row's items in ascending order
 * (the matrix keeps them in recency order), so membership is a binary search.
 */
export function sortedUserRows(matrix: UserItemMatrix): Int32Array {
  const sorted = matrix.userItems.slice();
  for (let u = 0; u < matrix.users; u++) sorted.subarray(matrix.userPtr[u], matrix.userPtr[u + 1]).sort();
  return sorted;
}

/** Whether `value` occurs in the ascending `sorted[start, end)`. */
export function containsSorted(sorted: Int32Array, start: number, end: number, value: number): boolean {
  let lo = start;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = sorted[mid];
    if (at === value) return true;
    if (at < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
