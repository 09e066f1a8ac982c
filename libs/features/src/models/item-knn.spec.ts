import { CosineNeighbours } from '../similarity/cosine-neighbours';
import { historyOf } from './implicit-model';
import { ItemKnnTrainer } from './item-knn';
import { history, inClusterShare, plantedClusters } from './testing/planted-clusters';

describe('ItemKnnTrainer', () => {
  const fixture = plantedClusters();

  it('keeps exactly the CosineNeighbours lists the item_cf strategy serves', async () => {
    const model = await new ItemKnnTrainer().train(fixture.matrix, { top_k: 5, shrinkage: 2 });
    const reference = new CosineNeighbours(fixture.matrix, 5, 2);
    const ids = new Int32Array(5);
    const sims = new Float64Array(5);
    for (const item of [0, 1, 17, fixture.matrix.items - 1]) {
      const count = reference.compute(item, ids, sims);
      const start = model.neighbourPtr[item];
      expect(model.neighbourPtr[item + 1] - start).toBe(count);
      expect(Array.from(model.neighbourIds.subarray(start, start + count))).toEqual(Array.from(ids.subarray(0, count)));
      expect(Array.from(model.neighbourSims.subarray(start, start + count))).toEqual(Array.from(Float32Array.from(sims.subarray(0, count))));
    }
  });

  it('scores Σ over the history of weight × similarity', async () => {
    const model = await new ItemKnnTrainer().train(fixture.matrix, { top_k: 5 });
    const scores = new Float32Array(model.items);
    model.scoreUser(-1, history([0, 3], [2, 0.5]), scores);
    const expected = new Float64Array(model.items);
    for (const [source, weight] of [[0, 2], [3, 0.5]]) {
      for (let p = model.neighbourPtr[source]; p < model.neighbourPtr[source + 1]; p++) expected[model.neighbourIds[p]] += weight * model.neighbourSims[p];
    }
    expected.forEach((value, item) => expect(scores[item]).toBeCloseTo(value, 6));
  });

  it('ranks a user’s own cluster first (≥ 90% of the top 10)', async () => {
    const model = await new ItemKnnTrainer().train(fixture.matrix, {});
    expect(inClusterShare(model, fixture, (u) => historyOf(fixture.matrix, u))).toBeGreaterThanOrEqual(0.9);
  });

  it('refuses a non-integer top_k', async () => {
    await expect(new ItemKnnTrainer().train(fixture.matrix, { top_k: 2.5 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
