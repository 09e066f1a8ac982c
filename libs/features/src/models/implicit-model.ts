import type { UserItemMatrix } from '../similarity/user-item-matrix';

/** Reports training progress: percent 0–100 and a stage name (jobs forward it to the job record). */
export type TrainingProgress = (pct: number, stage: string) => Promise<void> | void;

/**
 * A user's known interactions in the model's index space: parallel arrays of
 * item indices and implicit weights (ln(1 + Σ action weights), as in UserItemMatrix).
 */
export interface UserHistory {
  items: Int32Array;
  weights: Float32Array;
}

/**
 * A model trained on the implicit user × item matrix that scores every item
 * for one user. Serving and the offline evaluation call the same method.
 */
export interface ImplicitModel {
  /** The recall strategy / algorithm name: 'als', 'bpr', 'ease', 'user_cf', 'item_cf', 'content', ... */
  readonly algorithm: string;
  readonly items: number;
  /**
   * Writes a score per item into `out` (length = items; higher is better;
   * scores of the history's own items are not meaningful and callers exclude them).
   * `user` is the row index in the training matrix, or -1 for a user the model
   * has not seen, who is then scored from `history` alone (fold-in).
   */
  scoreUser(user: number, history: UserHistory, out: Float32Array): void;
}

/** Trains one algorithm on a matrix. Params are the scenario config's `params` of the strategy. */
export interface ImplicitTrainer<P extends object = Record<string, unknown>> {
  readonly algorithm: string;
  train(matrix: UserItemMatrix, params: Partial<P>, onProgress?: TrainingProgress): Promise<ImplicitModel>;
}

/** The history of row `user` of the matrix, as views (no copy). */
export function historyOf(matrix: UserItemMatrix, user: number): UserHistory {
  const start = matrix.userPtr[user];
  const end = matrix.userPtr[user + 1];
  return { items: matrix.userItems.subarray(start, end), weights: matrix.userWeights.subarray(start, end) };
}
