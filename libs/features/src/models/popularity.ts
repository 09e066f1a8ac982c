import type { UserItemMatrix } from '../similarity/user-item-matrix';
import type { ImplicitModel, ImplicitTrainer, TrainingProgress, UserHistory } from './implicit-model';

/** No params: popularity is the parameter-free baseline. */
export type PopularityParams = Record<string, never>;

/**
 * Most-popular baseline: an item's score is the number of users who
 * interacted with it (its column length), the same for every user. Every
 * personalised strategy must beat it offline to earn its place.
 */
export class PopularityTrainer implements ImplicitTrainer<PopularityParams> {
  readonly algorithm = 'popular';

  async train(matrix: UserItemMatrix, _params: Partial<PopularityParams> = {}, onProgress?: TrainingProgress): Promise<PopularityModel> {
    await onProgress?.(0, 'count');
    const counts = new Float32Array(matrix.items);
    for (let i = 0; i < matrix.items; i++) counts[i] = matrix.itemPtr[i + 1] - matrix.itemPtr[i];
    await onProgress?.(100, 'done');
    return new PopularityModel(counts);
  }
}

export class PopularityModel implements ImplicitModel {
  readonly algorithm = 'popular';
  readonly items: number;

  /** `counts[i]`: users who interacted with item i. */
  constructor(readonly counts: Float32Array) {
    this.items = counts.length;
  }

  scoreUser(_user: number, _history: UserHistory, out: Float32Array): void {
    out.set(this.counts);
  }
}
