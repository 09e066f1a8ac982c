import { logLoss, rocAuc } from './metrics';

describe('rocAuc', () => {
  it('is 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(rocAuc([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9])).toBe(0);
  });

  it('counts ties as half a correct pair', () => {
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    // Pairs (pos, neg): (0.9, 0.5) ✓, (0.9, 0.1) ✓, (0.5, 0.5) ½, (0.5, 0.1) ✓ → 3.5 / 4.
    expect(rocAuc([1, 0, 1, 0], [0.9, 0.5, 0.5, 0.1])).toBeCloseTo(0.875, 12);
  });

  it('matches the pairwise definition on random data', () => {
    const labels = Array.from({ length: 200 }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0);
    const scores = Array.from({ length: 200 }, (_, i) => Math.round(Math.sin(i) * 10) / 10); // many ties
    let wins = 0;
    let pairs = 0;
    labels.forEach((li, i) => labels.forEach((lj, j) => {
      if (li !== 1 || lj !== 0) return;
      pairs++;
      wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }));
    expect(rocAuc(labels, scores)).toBeCloseTo(wins / pairs, 12);
  });

  it('is NaN when a class is missing', () => {
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNaN();
  });
});

describe('logLoss', () => {
  it('is ln 2 for coin flips and clips certainties', () => {
    expect(logLoss([0, 1], [0.5, 0.5])).toBeCloseTo(Math.LN2, 12);
    expect(Number.isFinite(logLoss([1], [0]))).toBe(true);
  });
});
