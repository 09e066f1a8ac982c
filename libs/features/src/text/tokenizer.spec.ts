import { tokenize } from './tokenizer';

describe('tokenize', () => {
  it('lowercases, splits on punctuation and drops stop words and lone letters', () => {
    expect(tokenize('The Quick-brown FOX, a dog & 3 cats')).toEqual(['quick', 'brown', 'fox', 'dog', '3', 'cat']);
  });

  it('strips simple plurals but not -ss / -us endings', () => {
    expect(tokenize('stories shoes glass bus status')).toEqual(['story', 'shoe', 'glass', 'bus', 'status']);
  });

  it('keeps accented letters inside words', () => {
    expect(tokenize('Crème brûlée')).toEqual(['crème', 'brûlée']);
  });

  it('turns CJK runs into character bigrams and separates them from latin words', () => {
    expect(tokenize('iPhone手机壳')).toEqual(['iphone', '手机', '机壳']);
    expect(tokenize('书')).toEqual(['书']);
  });

  it('appends to the given array', () => {
    const out = ['x'];
    expect(tokenize('hello', out)).toBe(out);
    expect(out).toEqual(['x', 'hello']);
  });
});
