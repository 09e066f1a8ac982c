import { selectTop } from '../numeric/select-top';
import type { UserItemMatrix } from '../similarity/user-item-matrix';
import type { ImplicitModel, ImplicitTrainer, TrainingProgress, UserHistory } from './implicit-model';
import { integerParam, numberParam } from './model-params';
import { TrainingPacer } from './training-pacer';

export interface UserKnnParams {
  /** Neighbour users whose items are summed. */
  top_k: number;
  /** Added to the cosine denominator; larger values distrust users who share few items. */
  shrinkage: number;
}

/** Best of a small sweep on MovieLens-100K (75/25 per-user split, NDCG@10). */
export const DEFAULT_USER_KNN_PARAMS: Readonly<UserKnnParams> = { top_k: 80, shrinkage: 2 };

/**
 * User-based collaborative filtering:
 *   sim(u, v) = Σ_i w(u,i)·w(v,i) / (‖u‖·‖v‖ + shrinkage)
 *   score(u, j) = Σ_{v ∈ top-K neighbours of u} sim(u, v) · w(v, j)
 * Dot products are accumulated sparsely, through the item columns of u's
 * items, so only users sharing an item are ever touched. Known users'
 * neighbour lists are computed at training; an unknown user's are computed
 * from the history at scoring time (fold-in), the same way. The model keeps
 * the training matrix (neighbours' rows are summed) and K neighbours per user
 * (8·K bytes each).
 */
export class UserKnnTrainer implements ImplicitTrainer<UserKnnParams> {
  readonly algorithm = 'user_cf';

  async train(matrix: UserItemMatrix, params: Partial<UserKnnParams>, onProgress?: TrainingProgress): Promise<UserKnnModel> {
    const topK = integerParam(params, 'top_k', DEFAULT_USER_KNN_PARAMS.top_k, 1, 10_000);
    const shrinkage = numberParam(params, 'shrinkage', DEFAULT_USER_KNN_PARAMS.shrinkage, 0, 1e9);
    const finder = new UserNeighbourFinder(matrix, shrinkage);
    const { users } = matrix;
    const pacer = new TrainingPacer(onProgress);
    await pacer.report(0, 'neighbours');
    const ptr = new Int32Array(users + 1);
    // Room for K per user; trimmed to the real count at the end.
    const ids = new Int32Array(users * topK);
    const sims = new Float32Array(users * topK);
    let size = 0;
    for (let u = 0; u < users; u++) {
      const start = matrix.userPtr[u];
      const end = matrix.userPtr[u + 1];
      const count = finder.find(matrix.userItems.subarray(start, end), matrix.userWeights.subarray(start, end), u, topK);
      ids.set(finder.ids.subarray(0, count), size);
      for (let k = 0; k < count; k++) sims[size + k] = finder.scores[k];
      size += count;
      ptr[u + 1] = size;
      await pacer.checkpoint((100 * (u + 1)) / users, 'neighbours');
    }
    await pacer.report(100, 'done');
    return new UserKnnModel(matrix, topK, shrinkage, ptr, ids.slice(0, size), sims.slice(0, size));
  }
}

/**
 * Top-K most similar training users of one interaction vector. Scratch arrays
 * sized by the user count are reused between calls (scoring is synchronous,
 * so calls never interleave).
 */
class UserNeighbourFinder {
  /** After `find`: neighbour users and similarities [0, count), best first. */
  readonly ids: Int32Array;
  readonly scores: Float64Array;
  private readonly dots: Float64Array;
  private readonly userNorms: Float64Array;

  constructor(
    private readonly matrix: UserItemMatrix,
    private readonly shrinkage: number,
  ) {
    const { users, userPtr, userWeights } = matrix;
    this.ids = new Int32Array(users);
    this.scores = new Float64Array(users);
    this.dots = new Float64Array(users);
    this.userNorms = new Float64Array(users);
    for (let u = 0; u < users; u++) {
      let sum = 0;
      for (let p = userPtr[u]; p < userPtr[u + 1]; p++) sum += userWeights[p] * userWeights[p];
      this.userNorms[u] = Math.sqrt(sum);
    }
  }

  /** Finds the neighbours of the vector (items, weights), never `self` (-1 for none); returns their count. */
  find(items: Int32Array, weights: Float32Array, self: number, topK: number): number {
    const { itemPtr, itemUsers, itemWeights, items: itemCount } = this.matrix;
    const { dots, ids, scores, userNorms, shrinkage } = this;
    let touched = 0;
    let norm2 = 0;
    for (let h = 0; h < items.length; h++) {
      const item = items[h];
      const weight = weights[h];
      // A zero weight adds nothing, and would break the "dot still 0 = not yet touched" test below.
      if (item < 0 || item >= itemCount || !(weight > 0)) continue;
      norm2 += weight * weight;
      for (let p = itemPtr[item]; p < itemPtr[item + 1]; p++) {
        const other = itemUsers[p];
        if (dots[other] === 0) ids[touched++] = other;
        dots[other] += weight * itemWeights[p];
      }
    }
    const norm = Math.sqrt(norm2);
    let count = 0;
    for (let t = 0; t < touched; t++) {
      const other = ids[t];
      const dot = dots[other];
      dots[other] = 0;
      if (other === self) continue;
      // Compacts in place: count <= t, so ids[t] was read before it can be overwritten.
      ids[count] = other;
      scores[count] = dot / (norm * userNorms[other] + shrinkage);
      count++;
    }
    return selectTop(ids, scores, count, topK);
  }
}

export class UserKnnModel implements ImplicitModel {
  readonly algorithm = 'user_cf';
  readonly items: number;
  /** Finds an unknown user's neighbours at scoring time. */
  private readonly finder: UserNeighbourFinder;

  constructor(
    /** The training matrix: neighbours' rows are what gets summed. */
    readonly matrix: UserItemMatrix,
    readonly topK: number,
    readonly shrinkage: number,
    /** Known user u's neighbours are neighbourIds/neighbourSims[neighbourPtr[u] .. neighbourPtr[u+1]), best first. */
    readonly neighbourPtr: Int32Array,
    readonly neighbourIds: Int32Array,
    readonly neighbourSims: Float32Array,
  ) {
    this.items = matrix.items;
    this.finder = new UserNeighbourFinder(matrix, shrinkage);
  }

  scoreUser(user: number, history: UserHistory, out: Float32Array): void {
    out.fill(0, 0, this.items);
    if (user >= 0) {
      for (let p = this.neighbourPtr[user]; p < this.neighbourPtr[user + 1]; p++) this.addUser(this.neighbourIds[p], this.neighbourSims[p], out);
    } else {
      const { finder } = this;
      const count = finder.find(history.items, history.weights, -1, this.topK);
      for (let k = 0; k < count; k++) this.addUser(finder.ids[k], finder.scores[k], out);
    }
  }

  private addUser(neighbour: number, similarity: number, out: Float32Array): void {
    const { userPtr, userItems, userWeights } = this.matrix;
    for (let p = userPtr[neighbour]; p < userPtr[neighbour + 1]; p++) out[userItems[p]] += similarity * userWeights[p];
  }
}
