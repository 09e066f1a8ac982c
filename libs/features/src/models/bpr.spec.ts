import { DomainError } from '@lemo/domain';
import { AlsTrainer } from './als';
import { BprModel, BprTrainer, DEFAULT_BPR_PARAMS, type BprParams } from './bpr';
import { historyOf } from './implicit-model';
import { containsSorted, sortedUserRows } from './sorted-rows';
import { heldOutAucAgainstOtherClusters, plantedWithHeldOut } from './testing/held-out-clusters';
import { history, inClusterShare, plantedClusters, topItems } from './testing/planted-clusters';

/** Small and quick: the fixtures have ~100 users and ~70 items. */
const FAST: Partial<BprParams> = { factors: 8, epochs: 30 };

describe('BprTrainer', () => {
  it('recovers planted clusters: ≥ 90 % of every top 10 is in the user’s own cluster', async () => {
    const fixture = plantedClusters();
    const model = await new BprTrainer().train(fixture.matrix, FAST);
    expect(inClusterShare(model, fixture, (u) => historyOf(fixture.matrix, u))).toBeGreaterThanOrEqual(0.9);
  });

  it('ranks held-out same-cluster items above other-cluster items (AUC ≥ 0.95)', async () => {
    const fixture = plantedWithHeldOut();
    const model = await new BprTrainer().train(fixture.matrix, FAST);
    expect(heldOutAucAgainstOtherClusters(model, fixture)).toBeGreaterThanOrEqual(0.95);
  });

  it('learns item biases that favour popular items', async () => {
    const fixture = plantedClusters();
    const model = await new BprTrainer().train(fixture.matrix, FAST);
    const popularity = Array.from({ length: fixture.matrix.items }, (_, i) => fixture.matrix.itemPtr[i + 1] - fixture.matrix.itemPtr[i]);
    const byPopularity = popularity.map((count, i) => [count, model.itemBias[i]]).sort((a, b) => a[0] - b[0]);
    const mean = (rows: number[][]) => rows.reduce((sum, [, bias]) => sum + bias, 0) / rows.length;
    const quarter = Math.floor(byPopularity.length / 4);
    expect(mean(byPopularity.slice(-quarter))).toBeGreaterThan(mean(byPopularity.slice(0, quarter)));
  });

  it('folds in an unknown user from history alone: cluster-k history, cluster-k recommendations', async () => {
    const fixture = plantedClusters();
    const model = await new BprTrainer().train(fixture.matrix, FAST);
    for (let cluster = 0; cluster < fixture.clusters; cluster++) {
      // Items i ≡ cluster (mod clusters) belong to the cluster.
      const h = history([cluster, cluster + 3, cluster + 6, cluster + 9]);
      const top = topItems(model, -1, h, 10);
      expect(top.filter((i) => fixture.itemCluster(i) === cluster).length).toBeGreaterThanOrEqual(9);
      // The fold-in is seeded by the model: the same history, the same scores.
      const first = new Float32Array(model.items);
      const again = new Float32Array(model.items);
      model.scoreUser(-1, h, first);
      model.scoreUser(-1, h, again);
      expect(again).toEqual(first);
    }
    // Without usable history only the item biases remain (a popularity ranking).
    const out = new Float32Array(model.items);
    model.scoreUser(-1, history([-1, 999]), out);
    expect(out).toEqual(model.itemBias);
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const { matrix } = plantedClusters();
    const a = await new BprTrainer().train(matrix, { ...FAST, seed: 3 });
    const b = await new BprTrainer().train(matrix, { ...FAST, seed: 3 });
    const c = await new BprTrainer().train(matrix, { ...FAST, seed: 4 });
    expect(b.userFactors).toEqual(a.userFactors);
    expect(b.itemFactors).toEqual(a.itemFactors);
    expect(b.itemBias).toEqual(a.itemBias);
    expect(c.itemFactors).not.toEqual(a.itemFactors);
  });

  it('round-trips through serialize/deserialize and scores identically (known and folded-in users)', async () => {
    const { matrix } = plantedClusters();
    const model = await new BprTrainer().train(matrix, { ...FAST, learning_rate: 0.03, fold_in_steps: 12 });
    const loaded = BprModel.deserialize(model.serialize());
    expect(loaded.params).toEqual(model.params);
    expect(loaded.itemBias).toEqual(model.itemBias);
    for (const user of [0, 7, -1]) {
      const h = historyOf(matrix, Math.max(0, user));
      const expected = new Float32Array(matrix.items);
      const actual = new Float32Array(matrix.items);
      model.scoreUser(user, h, expected);
      loaded.scoreUser(user, h, actual);
      expect(actual).toEqual(expected);
    }
  });

  it('refuses artifacts of another algorithm', async () => {
    const { matrix } = plantedClusters();
    const als = await new AlsTrainer().train(matrix, { factors: 4, iterations: 1 });
    expect(() => BprModel.deserialize(als.serialize())).toThrow(/'als', expected 'bpr'/);
  });

  it('reports progress per epoch, never backwards, ending at 100 "done"', async () => {
    const { matrix } = plantedClusters();
    const calls: Array<[number, string]> = [];
    await new BprTrainer().train(matrix, { ...FAST, epochs: 4 }, (pct, stage) => void calls.push([pct, stage]));
    const pcts = calls.map(([pct]) => pct);
    expect(pcts).toEqual([...pcts].sort((a, b) => a - b));
    expect(pcts).toEqual(expect.arrayContaining([0, 25, 50, 75, 100]));
    expect(calls.at(-1)).toEqual([100, 'done']);
  });

  it('yields to the event loop once a time slice is used up', async () => {
    // A clock that jumps 1 s per read: every checkpoint finds its slice over.
    let clock = 0;
    jest.spyOn(performance, 'now').mockImplementation(() => (clock += 1000));
    const setImmediateSpy = jest.spyOn(global, 'setImmediate');
    await new BprTrainer().train(plantedClusters().matrix, { ...FAST, epochs: 3 });
    expect(setImmediateSpy).toHaveBeenCalled();
  });

  it('uses its documented defaults and refuses invalid params with VALIDATION_FAILED', async () => {
    const { matrix } = plantedClusters({ usersPerCluster: 4 });
    const model = await new BprTrainer().train(matrix, {});
    expect(model.params).toEqual(DEFAULT_BPR_PARAMS);
    expect(model.itemFactors).toHaveLength(matrix.items * DEFAULT_BPR_PARAMS.factors);
    const error = await new BprTrainer().train(matrix, { learning_rate: -0.1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ field: 'params.learning_rate' }] });
    await expect(new BprTrainer().train(matrix, { epochs: 1.5 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(() => model.scoreUser(-2, history([]), new Float32Array(model.items))).toThrow(RangeError);
  });
});

describe('sorted user rows', () => {
  it('sorts each row and finds exactly its members by binary search', () => {
    const { matrix } = plantedClusters({ usersPerCluster: 5 });
    const rows = sortedUserRows(matrix);
    for (let u = 0; u < matrix.users; u++) {
      const start = matrix.userPtr[u];
      const end = matrix.userPtr[u + 1];
      const members = new Set(historyOf(matrix, u).items);
      expect([...rows.subarray(start, end)]).toEqual([...members].sort((a, b) => a - b));
      for (let item = -1; item <= matrix.items; item++) expect(containsSorted(rows, start, end, item)).toBe(members.has(item));
    }
  });
});
