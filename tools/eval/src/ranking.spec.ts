import { buildUserItemMatrix, InteractionLog, type ImplicitModel } from './engine';
import { UserRanker } from './ranking';

describe('UserRanker', () => {
  it('ranks by score, leaves out training and excluded items, and puts NaN nowhere', () => {
    const log = new InteractionLog();
    log.push(0, 1, 1); // user 0 trained on item 1
    const matrix = buildUserItemMatrix(log, 1, 5, 10);
    const scores = [0.2, 0.9, NaN, 0.5, 0.7];
    const model: ImplicitModel = { algorithm: 'fixed', items: 5, scoreUser: (_user, _history, out) => out.set(scores) };
    const ranked = new UserRanker(matrix).rank(model, 0, 10, Int32Array.of(4));
    expect(Array.from(ranked.items)).toEqual([3, 0]);
    expect(Array.from(ranked.scores)).toEqual([expect.closeTo(0.5, 6), expect.closeTo(0.2, 6)]);
  });
});
