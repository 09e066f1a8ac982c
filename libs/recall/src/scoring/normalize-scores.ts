import type { ScoreNormalization } from '@lemo/domain';

/**
 * Maps the score at `rank` (0 = best) of a best-first list of `length` scores
 * to [0, 1], given the list's best and worst scores (see SCORE_NORMALIZATIONS).
 * One function for serving (RecallService) and the offline evaluation, so a
 * pipeline tuned offline merges the same way online.
 */
export function normalizedScore(how: ScoreNormalization, score: number, rank: number, length: number, best: number, worst: number): number {
  switch (how) {
    case 'max':
      return best > 0 ? Math.min(1, Math.max(0, score / best)) : 0;
    case 'minmax':
      return best > worst ? (score - worst) / (best - worst) : 1;
    case 'rank':
      return 1 - rank / length;
  }
}
