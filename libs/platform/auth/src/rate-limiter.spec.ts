import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows a burst of one second, then refills at the rate', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const taken = Array.from({ length: 12 }, () => limiter.tryTake('k', 10)).filter(Boolean).length;
    expect(taken).toBe(10);
    now += 100; // 0.1 s refills one token at 10/s
    expect(limiter.tryTake('k', 10)).toBe(true);
    expect(limiter.tryTake('k', 10)).toBe(false);
  });

  it('keeps keys independent', () => {
    const limiter = new RateLimiter(() => 0);
    expect(limiter.tryTake('a', 1)).toBe(true);
    expect(limiter.tryTake('a', 1)).toBe(false);
    expect(limiter.tryTake('b', 1)).toBe(true);
  });
});
