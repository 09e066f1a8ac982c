import { fuse, normalize } from './pipeline';
import { parseParamOverrides, parseWeights } from './params';

const list = (items: number[], scores: number[]) => ({ items: Int32Array.from(items), scores: Float64Array.from(scores) });

describe('pipeline blend', () => {
  it('normalises raw scores by best, min-max or rank', () => {
    const raw = list([3, 1, 2], [4, 2, -2]);
    expect(Array.from(normalize(raw, 'max').scores)).toEqual([1, 0.5, 0]);
    expect(Array.from(normalize(raw, 'minmax').scores)).toEqual([1, expect.closeTo(4 / 6, 6), 0]);
    expect(Array.from(normalize(raw, 'rank').scores)).toEqual([1, expect.closeTo(2 / 3, 6), expect.closeTo(1 / 3, 6)]);
  });

  it('sums weighted scores per item across strategies and returns the best K', () => {
    const a = normalize(list([1, 2, 3], [3, 2, 1]), 'rank'); // 1, 2/3, 1/3
    const b = normalize(list([3, 4], [5, 4]), 'rank'); // 1, 1/2
    expect(Array.from(fuse([a, b], [1, 1], 3))).toEqual([3, 1, 2]); // 4/3, 1, 2/3
    expect(Array.from(fuse([a, b], [1, 0], 2))).toEqual([1, 2]);
  });

  it('parses weights and param overrides', () => {
    expect(parseWeights('ease=1,als=0.5')).toEqual({ ease: 1, als: 0.5 });
    expect(() => parseWeights('ease=-1')).toThrow('--pipeline');
    expect(parseParamOverrides(['als.factors=128,als.seed=3', 'ease.lambda=250,content.fields=["title",2]'])).toEqual({
      als: { factors: 128, seed: 3 },
      ease: { lambda: 250 },
      content: { fields: ['title', 2] },
    });
  });
});
