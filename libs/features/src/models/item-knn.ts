import { CosineNeighbours } from '../similarity/cosine-neighbours';
import type { UserItemMatrix } from '../similarity/user-item-matrix';
import type { ImplicitModel, ImplicitTrainer, TrainingProgress, UserHistory } from './implicit-model';
import { integerParam, numberParam } from './model-params';
import { TrainingPacer } from './training-pacer';

export interface ItemKnnParams {
  /** Neighbours kept per item. */
  top_k: number;
  /** Added to the cosine denominator; larger values distrust pairs with little support. */
  shrinkage: number;
}

/** The serving defaults of ItemSimilarityBuilder's neighbour lists, so offline figures describe what item_cf serves. */
export const DEFAULT_ITEM_KNN_PARAMS: Readonly<ItemKnnParams> = { top_k: 50, shrinkage: 5 };

/**
 * Item-based collaborative filtering as a model: the same shrunk item-item
 * cosine top-K lists the item_cf strategy reads from the feature store
 * (CosineNeighbours), kept in memory as one CSR table, and
 *   score(j) = Σ_{h ∈ history} w_h · sim(h, j)   over j in h's neighbour list.
 * Unknown users need nothing more than their history.
 */
export class ItemKnnTrainer implements ImplicitTrainer<ItemKnnParams> {
  readonly algorithm = 'item_cf';

  async train(matrix: UserItemMatrix, params: Partial<ItemKnnParams>, onProgress?: TrainingProgress): Promise<ItemKnnModel> {
    const topK = integerParam(params, 'top_k', DEFAULT_ITEM_KNN_PARAMS.top_k, 1, 10_000);
    const shrinkage = numberParam(params, 'shrinkage', DEFAULT_ITEM_KNN_PARAMS.shrinkage, 0, 1e9);
    const n = matrix.items;
    const pacer = new TrainingPacer(onProgress);
    await pacer.report(0, 'similarity');
    const neighbours = new CosineNeighbours(matrix, topK, shrinkage);
    const outItems = new Int32Array(topK);
    const outScores = new Float64Array(topK);
    const ptr = new Int32Array(n + 1);
    // Room for K per item; trimmed to the real count at the end.
    const ids = new Int32Array(n * topK);
    const sims = new Float32Array(n * topK);
    let size = 0;
    for (let item = 0; item < n; item++) {
      const count = neighbours.compute(item, outItems, outScores);
      for (let k = 0; k < count; k++) {
        ids[size] = outItems[k];
        sims[size] = outScores[k];
        size++;
      }
      ptr[item + 1] = size;
      await pacer.checkpoint((100 * (item + 1)) / n, 'similarity');
    }
    await pacer.report(100, 'done');
    return new ItemKnnModel(n, ptr, ids.slice(0, size), sims.slice(0, size));
  }
}

export class ItemKnnModel implements ImplicitModel {
  readonly algorithm = 'item_cf';

  constructor(
    readonly items: number,
    /** Item i's neighbours are neighbourIds/neighbourSims[neighbourPtr[i] .. neighbourPtr[i+1]), best first. */
    readonly neighbourPtr: Int32Array,
    readonly neighbourIds: Int32Array,
    readonly neighbourSims: Float32Array,
  ) {}

  scoreUser(_user: number, history: UserHistory, out: Float32Array): void {
    const { neighbourPtr, neighbourIds, neighbourSims } = this;
    out.fill(0, 0, this.items);
    for (let h = 0; h < history.items.length; h++) {
      const source = history.items[h];
      if (source < 0 || source >= this.items) continue;
      const weight = history.weights[h];
      for (let p = neighbourPtr[source]; p < neighbourPtr[source + 1]; p++) out[neighbourIds[p]] += weight * neighbourSims[p];
    }
  }
}
