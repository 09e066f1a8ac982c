/**
 * Partial selection on parallel typed arrays: reorders `ids`/`scores`
 * [0, n) so that the best min(n, k) entries come first, best first, and
 * returns that count. Order is score descending, then id ascending — a strict
 * total order, so the result does not depend on the input order. Expected
 * O(n + k²) (quickselect with median-of-three, then insertion sort of the head).
 */
export function selectTop(ids: Int32Array, scores: Float64Array, n: number, k: number): number {
  const m = Math.min(n, k);
  if (m <= 0) return 0;
  let lo = 0;
  let hi = n - 1;
  while (hi > lo && m < n) {
    const mid = (lo + hi) >>> 1;
    // Median of three as pivot, moved to hi.
    if (better(scores, ids, mid, lo)) swap(ids, scores, mid, lo);
    if (better(scores, ids, hi, lo)) swap(ids, scores, hi, lo);
    if (better(scores, ids, mid, hi)) swap(ids, scores, mid, hi);
    const pivotScore = scores[hi];
    const pivotId = ids[hi];
    let store = lo;
    for (let i = lo; i < hi; i++) {
      const s = scores[i];
      if (s > pivotScore || (s === pivotScore && ids[i] < pivotId)) {
        swap(ids, scores, i, store);
        store++;
      }
    }
    swap(ids, scores, store, hi);
    if (store === m - 1 || store === m) break;
    if (store < m) lo = store + 1;
    else hi = store - 1;
  }
  for (let i = 1; i < m; i++) {
    const id = ids[i];
    const score = scores[i];
    let j = i - 1;
    while (j >= 0 && (scores[j] < score || (scores[j] === score && ids[j] > id))) {
      ids[j + 1] = ids[j];
      scores[j + 1] = scores[j];
      j--;
    }
    ids[j + 1] = id;
    scores[j + 1] = score;
  }
  return m;
}

function better(scores: Float64Array, ids: Int32Array, a: number, b: number): boolean {
  return scores[a] > scores[b] || (scores[a] === scores[b] && ids[a] < ids[b]);
}

function swap(ids: Int32Array, scores: Float64Array, a: number, b: number): void {
  const id = ids[a];
  ids[a] = ids[b];
  ids[b] = id;
  const score = scores[a];
  scores[a] = scores[b];
  scores[b] = score;
}
