import { historyOf, selectTop, type ImplicitModel, type UserItemMatrix } from './engine';

/** A user's best items, best first, with the model's raw scores. */
export interface RankedList {
  items: Int32Array;
  scores: Float64Array;
}

/**
 * Ranks every item for one user with a trained model, as serving does, with
 * the user's training items excluded. Reuses its buffers between users, so one
 * ranker serves one model at a time.
 */
export class UserRanker {
  private readonly out: Float32Array;
  private readonly ids: Int32Array;
  private readonly scores: Float64Array;

  constructor(private readonly matrix: UserItemMatrix) {
    this.out = new Float32Array(matrix.items);
    this.ids = new Int32Array(matrix.items);
    this.scores = new Float64Array(matrix.items);
  }

  /** The user's top `limit` items among those not in their training history nor in `alsoExcluded`. */
  rank(model: ImplicitModel, user: number, limit: number, alsoExcluded: Int32Array = new Int32Array(0)): RankedList {
    const history = historyOf(this.matrix, user);
    this.out.fill(0);
    model.scoreUser(user, history, this.out);
    for (let i = 0; i < this.matrix.items; i++) {
      this.ids[i] = i;
      const score = this.out[i];
      // A NaN must not win or lose arbitrarily: it ranks last, like an excluded item.
      this.scores[i] = score === score ? score : -Infinity;
    }
    for (const item of history.items) this.scores[item] = -Infinity;
    for (const item of alsoExcluded) this.scores[item] = -Infinity;
    let kept = selectTop(this.ids, this.scores, this.matrix.items, limit);
    while (kept > 0 && this.scores[kept - 1] === -Infinity) kept--;
    return { items: this.ids.slice(0, kept), scores: this.scores.slice(0, kept) };
  }
}
