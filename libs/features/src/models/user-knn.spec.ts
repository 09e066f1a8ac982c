import { InteractionLog } from '../similarity/interaction-log';
import { buildUserItemMatrix } from '../similarity/user-item-matrix';
import { historyOf } from './implicit-model';
import { history, inClusterShare, plantedClusters, topItems } from './testing/planted-clusters';
import { UserKnnTrainer } from './user-knn';

describe('UserKnnTrainer', () => {
  const fixture = plantedClusters();

  it('scores Σ sim(u, v)·x_v over the top-K neighbours, with shrunk cosine and without the user itself', async () => {
    // Weights ln(1 + 1) everywhere: user 0 = {0, 1}, user 1 = {0, 1, 2}, user 2 = {1, 3}, user 3 = {4}.
    const log = new InteractionLog();
    for (const [u, i] of [[0, 0], [0, 1], [1, 0], [1, 1], [1, 2], [2, 1], [2, 3], [3, 4]]) log.push(u, i, 1);
    const matrix = buildUserItemMatrix(log, 4, 5, 100);
    const shrinkage = 0.5;
    const model = await new UserKnnTrainer().train(matrix, { top_k: 2, shrinkage });
    const w = Math.LN2;
    const cos = (shared: number, a: number, b: number) => (shared * w * w) / (Math.sqrt(a) * w * Math.sqrt(b) * w + shrinkage);
    const sim1 = cos(2, 2, 3);
    const sim2 = cos(1, 2, 2);
    const scores = new Float32Array(5);
    model.scoreUser(0, historyOf(matrix, 0), scores);
    expect(scores[2]).toBeCloseTo(sim1 * w, 6);
    expect(scores[3]).toBeCloseTo(sim2 * w, 6);
    expect(scores[4]).toBe(0);
    expect(scores[0]).toBeCloseTo(sim1 * w, 6);
    expect(scores[1]).toBeCloseTo((sim1 + sim2) * w, 6);
  });

  it('ranks a user’s own cluster first (≥ 90% of the top 10)', async () => {
    const model = await new UserKnnTrainer().train(fixture.matrix, {});
    expect(inClusterShare(model, fixture, (u) => historyOf(fixture.matrix, u))).toBeGreaterThanOrEqual(0.9);
  });

  it('folds in an unknown user (-1) from the history alone, against every training user', async () => {
    const model = await new UserKnnTrainer().train(fixture.matrix, { top_k: 10 });
    for (let cluster = 0; cluster < fixture.clusters; cluster++) {
      // Four items of this cluster, one of them touched twice.
      const items = [0, 1, 2, 3].map((k) => k * fixture.clusters + cluster);
      const top = topItems(model, -1, history(items, [Math.log1p(2), Math.LN2, Math.LN2, Math.LN2]), 10);
      expect(top.filter((i) => fixture.itemCluster(i) === cluster).length).toBeGreaterThanOrEqual(9);
    }
  });

  it('folding in a known user’s history finds the same neighbours plus the user itself', async () => {
    // With K = every user, the fold-in's neighbours are the known list plus u itself, at sim(u, u) = ‖u‖² / (‖u‖² + shrinkage).
    const shrinkage = 3;
    const model = await new UserKnnTrainer().train(fixture.matrix, { top_k: fixture.matrix.users, shrinkage });
    const user = 4;
    const own = historyOf(fixture.matrix, user);
    const known = new Float32Array(model.items);
    const folded = new Float32Array(model.items);
    model.scoreUser(user, own, known);
    model.scoreUser(-1, own, folded);
    const norm2 = own.weights.reduce((sum, w) => sum + w * w, 0);
    const selfSimilarity = norm2 / (norm2 + shrinkage);
    const selfPart = new Float64Array(model.items);
    own.items.forEach((item, k) => (selfPart[item] = selfSimilarity * own.weights[k]));
    folded.forEach((score, item) => expect(score).toBeCloseTo(known[item] + selfPart[item], 4));
  });

  it('scores an empty history as all zeros', async () => {
    const model = await new UserKnnTrainer().train(fixture.matrix, {});
    const scores = new Float32Array(model.items).fill(1);
    model.scoreUser(-1, history([]), scores);
    expect(scores.every((s) => s === 0)).toBe(true);
  });
});
