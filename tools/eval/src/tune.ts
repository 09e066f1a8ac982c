import { scorePipeline, type HeldOutRun } from './held-out-run';

export interface TuningResult {
  weights: Record<string, number>;
  /** NDCG@K of the tuned blend on the validation split. */
  validationNdcg: number;
  /** NDCG@K of the starting weights on the validation split. */
  startNdcg: number;
  /** Blends tried. */
  evaluations: number;
}

/**
 * Coordinate ascent over a grid: for each strategy in turn, try every grid
 * value with the others fixed and keep the best NDCG@K on the validation run;
 * repeat `rounds` times or until nothing improves. A full grid would cost
 * |grid|^strategies blends; this costs about rounds × strategies × |grid|.
 */
export function tunePipelineWeights(
  run: HeldOutRun,
  start: Record<string, number>,
  options: { grid: readonly number[]; rounds: number },
  k: number,
): TuningResult {
  const names = run.strategies.map((strategy) => strategy.name);
  const objective = (weights: Record<string, number>): number => (Object.values(weights).some((w) => w > 0) ? scorePipeline(run, weights, [k]).at[k].ndcg : 0);
  let best = { ...start };
  let bestNdcg = objective(best);
  const startNdcg = bestNdcg;
  let evaluations = 1;
  for (let round = 0; round < options.rounds; round++) {
    let improved = false;
    for (const name of names) {
      for (const value of options.grid) {
        if (value === best[name]) continue;
        const candidate = { ...best, [name]: value };
        const ndcg = objective(candidate);
        evaluations++;
        if (ndcg > bestNdcg + 1e-9) {
          best = candidate;
          bestNdcg = ndcg;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return { weights: best, validationNdcg: bestNdcg, startNdcg, evaluations };
}
