import { DomainError } from '@lemo/domain';
import type { UserItemMatrix } from '../similarity/user-item-matrix';
import { invertSymmetricPositiveDefinite } from './dense-linear-algebra';
import type { ImplicitModel, ImplicitTrainer, TrainingProgress, UserHistory } from './implicit-model';
import { booleanParam, integerParam, numberParam } from './model-params';
import { TrainingPacer } from './training-pacer';

export interface EaseParams {
  /** L2 penalty added to the Gram diagonal; larger values shrink weights of rarely seen items. */
  lambda: number;
  /**
   * Largest catalogue trained. The model is a dense items × items matrix:
   * training peaks at 12·n² bytes and costs n³/2 multiply-adds — ~2.5 s of
   * CPU at n = 1,682 (MovieLens-100K), ~10 min at 10,000, over an hour and
   * 4.8 GB at the default 20,000 — so EASE is for catalogues that small.
   */
  max_items: number;
  /** X holds the implicit weights ln(1 + Σ action weights) instead of 0/1 (binary is the paper's setting and scored better on MovieLens). */
  use_weights: boolean;
}

/** λ = 400 is the best of a sweep on MovieLens-100K (Steck uses ~500 on the larger MovieLens-20M). */
export const DEFAULT_EASE_PARAMS: Readonly<EaseParams> = { lambda: 400, max_items: 20_000, use_weights: false };

/** n² must stay below the 2³¹ elements a typed array can hold. */
const MAX_ITEMS_LIMIT = 40_000;

/** Progress shares of the stages (the inversion is almost all of the work). */
const GRAM_END = 5;
const INVERSE_END = 95;

/**
 * EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019):
 * the item-item weight matrix B minimising ‖X − X·B‖² + λ‖B‖² with diag(B) = 0
 * has the closed form
 *   P = (XᵀX + λI)⁻¹,   B_ij = −P_ij / P_jj  (i ≠ j),   B_jj = 0,
 * and a user's scores are x_u·B — from the history alone, so users unseen at
 * training are scored exactly like known ones.
 */
export class EaseTrainer implements ImplicitTrainer<EaseParams> {
  readonly algorithm = 'ease';

  async train(matrix: UserItemMatrix, params: Partial<EaseParams>, onProgress?: TrainingProgress): Promise<EaseModel> {
    const lambda = numberParam(params, 'lambda', DEFAULT_EASE_PARAMS.lambda, Number.MIN_VALUE, 1e12);
    const maxItems = integerParam(params, 'max_items', DEFAULT_EASE_PARAMS.max_items, 1, MAX_ITEMS_LIMIT);
    const useWeights = booleanParam(params, 'use_weights', DEFAULT_EASE_PARAMS.use_weights);
    const n = matrix.items;
    if (n > maxItems) {
      const message = `EASE inverts a dense items × items matrix; the catalogue has ${n} items, more than max_items (${maxItems}). Use als or item_cf, or raise max_items if memory (12·n² bytes) allows`;
      throw new DomainError('VALIDATION_FAILED', message, [{ field: 'params.max_items', message }]);
    }
    const pacer = new TrainingPacer(onProgress);
    await pacer.report(0, 'gram');
    const a = await gramLowerTriangle(matrix, useWeights, pacer);
    for (let i = 0; i < n; i++) a[i * n + i] += lambda;
    await invertSymmetricPositiveDefinite(a, n, (fraction) => pacer.checkpoint(GRAM_END + (INVERSE_END - GRAM_END) * fraction, 'inverse'));
    await pacer.report(INVERSE_END, 'weights');
    const weights = weightsFromInverse(a, n);
    await pacer.report(100, 'done');
    return new EaseModel(n, weights, useWeights);
  }
}

/** XᵀX + nothing on the diagonal yet, lower triangle only (all the inversion reads), from each user's co-occurring pairs. */
async function gramLowerTriangle(matrix: UserItemMatrix, useWeights: boolean, pacer: TrainingPacer): Promise<Float64Array> {
  const { items: n, users, userPtr, userItems, userWeights } = matrix;
  const a = new Float64Array(n * n);
  for (let u = 0; u < users; u++) {
    const start = userPtr[u];
    const end = userPtr[u + 1];
    for (let p = start; p < end; p++) {
      const i = userItems[p];
      const xi = useWeights ? userWeights[p] : 1;
      for (let q = start; q <= p; q++) {
        const j = userItems[q];
        const value = useWeights ? xi * userWeights[q] : 1;
        if (i >= j) a[i * n + j] += value;
        else a[j * n + i] += value;
      }
    }
    await pacer.checkpoint((GRAM_END * (u + 1)) / users, 'gram');
  }
  return a;
}

/** B_ij = −P_ij / P_jj off the diagonal, 0 on it, as float32 (half the memory the model keeps). */
function weightsFromInverse(p: Float64Array, n: number): Float32Array {
  const inverseDiagonal = new Float64Array(n);
  for (let j = 0; j < n; j++) inverseDiagonal[j] = -1 / p[j * n + j];
  const weights = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) weights[row + j] = p[row + j] * inverseDiagonal[j];
    weights[row + i] = 0;
  }
  return weights;
}

export class EaseModel implements ImplicitModel {
  readonly algorithm = 'ease';

  constructor(
    readonly items: number,
    /** B, row-major: row i holds what history item i adds to every item's score. */
    readonly weights: Float32Array,
    /** Whether X held the implicit weights (else binary): scoring must use the same. */
    readonly usesWeights: boolean,
  ) {}

  scoreUser(_user: number, history: UserHistory, out: Float32Array): void {
    const { items: n, weights } = this;
    out.fill(0, 0, n);
    for (let h = 0; h < history.items.length; h++) {
      const item = history.items[h];
      if (item < 0 || item >= n) continue;
      const x = this.usesWeights ? history.weights[h] : 1;
      const row = item * n;
      for (let j = 0; j < n; j++) out[j] += x * weights[row + j];
    }
  }
}
