/**
 * Exact ROC AUC by ranks (Mann-Whitney U): ties get their average rank, so a
 * constant scorer gets 0.5. NaN when either class is absent.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]] === scores[order[start]]) end++;
    const averageRank = (start + 1 + end) / 2; // ranks start..end-1, 1-based
    for (let k = start; k < end; k++) {
      if (labels[order[k]] > 0.5) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean binary cross-entropy of probabilities, clipped away from 0 and 1. */
export function logLoss(labels: ArrayLike<number>, probabilities: ArrayLike<number>, epsilon = 1e-7): number {
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - epsilon, Math.max(epsilon, probabilities[i]));
    total -= labels[i] > 0.5 ? Math.log(p) : Math.log(1 - p);
  }
  return labels.length === 0 ? Number.NaN : total / labels.length;
}
