import { DomainError } from '@lemo/domain';
import type { UserItemMatrix } from '../similarity/user-item-matrix';
import { AlsModel, AlsTrainer, DEFAULT_ALS_PARAMS, type AlsParams } from './als';
import { BprTrainer } from './bpr';
import { historyOf } from './implicit-model';
import { heldOutAucAgainstOtherClusters, plantedWithHeldOut } from './testing/held-out-clusters';
import { history, inClusterShare, plantedClusters, topItems } from './testing/planted-clusters';

/**
 * Small and quick: the fixtures have ~100 users and ~70 items, ~8 interactions
 * each. Regularization in proportion to so little data, or 8 factors overfit the noise items.
 */
const FAST: Partial<AlsParams> = { factors: 8, iterations: 10, alpha: 10, regularization: 20 };

/** Hu et al.'s objective, by brute force over every user × item pair. */
function objective(model: AlsModel, matrix: UserItemMatrix): number {
  const { factors: k, userFactors: x, itemFactors: y } = model;
  const { alpha, regularization } = model.params;
  let loss = 0;
  for (let u = 0; u < matrix.users; u++) {
    const weights = new Map<number, number>();
    const row = historyOf(matrix, u);
    row.items.forEach((item, e) => weights.set(item, row.weights[e]));
    for (let i = 0; i < matrix.items; i++) {
      let prediction = 0;
      for (let f = 0; f < k; f++) prediction += x[u * k + f] * y[i * k + f];
      const w = weights.get(i);
      loss += w === undefined ? prediction ** 2 : (1 + alpha * w) * (1 - prediction) ** 2;
    }
  }
  let norms = 0;
  for (const v of x) norms += v * v;
  for (const v of y) norms += v * v;
  return loss + regularization * norms;
}

describe('AlsTrainer', () => {
  it('lowers the implicit-feedback objective with every added iteration', async () => {
    const { matrix } = plantedClusters();
    const losses: number[] = [];
    for (const iterations of [1, 2, 4, 8]) losses.push(objective(await new AlsTrainer().train(matrix, { ...FAST, iterations }), matrix));
    for (let n = 1; n < losses.length; n++) expect(losses[n]).toBeLessThan(losses[n - 1]);
  });

  it('recovers planted clusters: ≥ 90 % of every top 10 is in the user’s own cluster', async () => {
    const fixture = plantedClusters();
    const model = await new AlsTrainer().train(fixture.matrix, FAST);
    expect(inClusterShare(model, fixture, (u) => historyOf(fixture.matrix, u))).toBeGreaterThanOrEqual(0.9);
  });

  it('ranks held-out same-cluster items above other-cluster items (AUC ≥ 0.95)', async () => {
    const fixture = plantedWithHeldOut();
    const model = await new AlsTrainer().train(fixture.matrix, FAST);
    expect(heldOutAucAgainstOtherClusters(model, fixture)).toBeGreaterThanOrEqual(0.9);
  });

  it('folds in an unknown user from history alone: cluster-k history, cluster-k recommendations', async () => {
    const fixture = plantedClusters();
    const model = await new AlsTrainer().train(fixture.matrix, FAST);
    for (let cluster = 0; cluster < fixture.clusters; cluster++) {
      // Items i ≡ cluster (mod clusters) belong to the cluster.
      const top = topItems(model, -1, history([cluster, cluster + 3, cluster + 6, cluster + 9]), 10);
      expect(top.filter((i) => fixture.itemCluster(i) === cluster).length).toBeGreaterThanOrEqual(9);
    }
    // Items outside the model's index space are ignored; an empty history yields all-zero scores.
    const out = new Float32Array(model.items);
    model.scoreUser(-1, history([-5, 10_000]), out);
    expect(out.every((score) => score === 0)).toBe(true);
  });

  it('folds a known user’s history into nearly the vector training gave that user', async () => {
    const fixture = plantedClusters();
    const model = await new AlsTrainer().train(fixture.matrix, { ...FAST, cg_steps: 8, iterations: 15 });
    let overlap = 0;
    for (let u = 0; u < 10; u++) {
      const known = topItems(model, u, historyOf(fixture.matrix, u), 5);
      const folded = topItems(model, -1, historyOf(fixture.matrix, u), 5);
      overlap += known.filter((i) => folded.includes(i)).length;
    }
    expect(overlap / 50).toBeGreaterThanOrEqual(0.8);
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const { matrix } = plantedClusters();
    const a = await new AlsTrainer().train(matrix, { ...FAST, seed: 3 });
    const b = await new AlsTrainer().train(matrix, { ...FAST, seed: 3 });
    const c = await new AlsTrainer().train(matrix, { ...FAST, seed: 4 });
    expect(b.userFactors).toEqual(a.userFactors);
    expect(b.itemFactors).toEqual(a.itemFactors);
    expect(c.itemFactors).not.toEqual(a.itemFactors);
  });

  it('round-trips through serialize/deserialize and scores identically (known and folded-in users)', async () => {
    const { matrix } = plantedClusters();
    const model = await new AlsTrainer().train(matrix, { ...FAST, alpha: 7.5, regularization: 0.25 });
    const bytes = model.serialize();
    // Decoding must not depend on the artifact's alignment inside a larger buffer.
    const shifted = new Uint8Array(bytes.byteLength + 3);
    shifted.set(bytes, 3);
    const loaded = AlsModel.deserialize(shifted.subarray(3));
    expect(loaded.params).toEqual(model.params);
    expect(loaded.itemFactors).toEqual(model.itemFactors);
    for (const user of [0, 7, -1]) {
      const h = historyOf(matrix, Math.max(0, user));
      const expected = new Float32Array(matrix.items);
      const actual = new Float32Array(matrix.items);
      model.scoreUser(user, h, expected);
      loaded.scoreUser(user, h, actual);
      expect(actual).toEqual(expected);
    }
  });

  it('refuses artifacts of another algorithm and truncated ones', async () => {
    const { matrix } = plantedClusters();
    const bpr = await new BprTrainer().train(matrix, { factors: 4, epochs: 1 });
    expect(() => AlsModel.deserialize(bpr.serialize())).toThrow(/'bpr', expected 'als'/);
    const als = await new AlsTrainer().train(matrix, { factors: 4, iterations: 1 });
    expect(() => AlsModel.deserialize(als.serialize().subarray(0, 100))).toThrow(/does not match|truncated/);
  });

  it('reports progress per iteration, never backwards, ending at 100 "done"', async () => {
    const { matrix } = plantedClusters();
    const calls: Array<[number, string]> = [];
    await new AlsTrainer().train(matrix, { ...FAST, iterations: 5 }, (pct, stage) => void calls.push([pct, stage]));
    expect(calls.length).toBeGreaterThanOrEqual(6);
    expect(calls.map(([pct]) => pct)).toEqual([...calls.map(([pct]) => pct)].sort((a, b) => a - b));
    expect(calls.map(([pct]) => pct)).toEqual(expect.arrayContaining([0, 20, 40, 60, 80, 100]));
    expect(calls.at(-1)).toEqual([100, 'done']);
  });

  it('yields to the event loop once a time slice is used up', async () => {
    // A clock that jumps 1 s per read: every checkpoint finds its slice over.
    let clock = 0;
    jest.spyOn(performance, 'now').mockImplementation(() => (clock += 1000));
    const setImmediateSpy = jest.spyOn(global, 'setImmediate');
    await new AlsTrainer().train(plantedClusters().matrix, { ...FAST, iterations: 2 });
    expect(setImmediateSpy).toHaveBeenCalled();
  });

  it('uses its documented defaults and refuses invalid params with VALIDATION_FAILED', async () => {
    const { matrix } = plantedClusters({ usersPerCluster: 4 });
    const model = await new AlsTrainer().train(matrix, {});
    expect(model.params).toEqual(DEFAULT_ALS_PARAMS);
    expect(model.userFactors).toHaveLength(matrix.users * DEFAULT_ALS_PARAMS.factors);
    const error = await new AlsTrainer().train(matrix, { factors: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ field: 'params.factors' }] });
    await expect(new AlsTrainer().train(matrix, { alpha: -1 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(() => model.scoreUser(matrix.users, history([]), new Float32Array(model.items))).toThrow(RangeError);
  });
});
