import { historyOf } from './implicit-model';
import { SERVABLE_ALGORITHMS } from './model-catalog';
import { plantedClusters } from './testing/planted-clusters';

describe('SERVABLE_ALGORITHMS', () => {
  const { matrix } = plantedClusters();
  const small: Record<string, Record<string, unknown>> = { als: { factors: 8, regularization: 20, alpha: 10 }, bpr: { factors: 8, epochs: 5 }, ease: { lambda: 10 }, user_cf: {} };

  it.each(Object.keys(SERVABLE_ALGORITHMS))('%s: a decoded artifact scores known and unseen users exactly like the trained model', async (name) => {
    const { trainer, codec } = SERVABLE_ALGORITHMS[name];
    const model = await trainer.train(matrix, small[name] ?? {});
    const decoded = codec.decode(codec.encode(model).slice());
    expect(decoded.algorithm).toBe(name);
    for (const user of [0, 7, -1]) {
      const history = historyOf(matrix, user === -1 ? 3 : user);
      const expected = new Float32Array(matrix.items);
      const actual = new Float32Array(matrix.items);
      model.scoreUser(user, history, expected);
      decoded.scoreUser(user, history, actual);
      expect(Array.from(actual)).toEqual(Array.from(expected));
    }
  });
});
