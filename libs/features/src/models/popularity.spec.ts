import { InteractionLog } from '../similarity/interaction-log';
import { buildUserItemMatrix } from '../similarity/user-item-matrix';
import { PopularityTrainer } from './popularity';
import { history, topItems } from './testing/planted-clusters';

describe('PopularityTrainer', () => {
  it('scores items by the number of distinct users, whatever the weights and repeats, the same for everyone', async () => {
    const log = new InteractionLog();
    // Item 2: 3 users; item 0: 2 users (one of them 5 times, strongly); item 1: 1 user; item 3: nobody.
    for (const [u, i, w] of [[0, 2, 1], [1, 2, 1], [2, 2, 1], [0, 0, 4], [0, 0, 4], [0, 0, 4], [0, 0, 4], [0, 0, 4], [1, 0, 1], [2, 1, 10]]) log.push(u, i, w);
    const model = await new PopularityTrainer().train(buildUserItemMatrix(log, 3, 4, 100), {});
    const scores = new Float32Array(4);
    model.scoreUser(1, history([2, 0]), scores);
    expect(Array.from(scores)).toEqual([2, 1, 3, 0]);
    expect(topItems(model, -1, history([]), 4)).toEqual([2, 0, 1, 3]);
  });
});
