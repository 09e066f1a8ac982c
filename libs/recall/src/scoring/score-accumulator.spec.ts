import { ScoreAccumulator } from './score-accumulator';

describe('ScoreAccumulator', () => {
  it('sums per id and remembers the biggest single contribution and its reference', () => {
    const acc = new ScoreAccumulator();
    acc.add('x', 0.2, 7, 0);
    acc.add('y', 0.5, 1, 1);
    const slot = acc.add('x', 0.4, 9, 2);
    acc.add('x', 0.1, 3);
    expect(acc.size).toBe(2);
    expect(acc.id(slot)).toBe('x');
    expect(acc.total(slot)).toBeCloseTo(0.7, 12);
    expect(acc.bestRef(slot)).toBe(9);
    expect(acc.mask(slot)).toBe(0b101);
  });

  it('returns the top slots by total, ties to the first added, and survives growth', () => {
    const acc = new ScoreAccumulator();
    for (let i = 0; i < 300; i++) acc.add(`i${i}`, i % 10, i);
    const top = Array.from(acc.top(25), (slot) => acc.id(slot));
    const expected = Array.from({ length: 300 }, (_, i) => i)
      .sort((a, b) => (b % 10) - (a % 10) || a - b)
      .slice(0, 25)
      .map((i) => `i${i}`);
    expect(top).toEqual(expected);
    expect(acc.top(1000)).toHaveLength(300);
    expect(new ScoreAccumulator().top(5)).toHaveLength(0);
  });
});
