/**
 * Token bucket per key: `ratePerSecond` tokens refill each second, bursts up
 * to one second's worth. In-process: with N replicas the effective limit is
 * N × rate, which the docs state; a shared (Redis) limiter comes with the cluster profile.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  tryTake(key: string, ratePerSecond: number): boolean {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: ratePerSecond, updatedAt: now };
    bucket.tokens = Math.min(ratePerSecond, bucket.tokens + ((now - bucket.updatedAt) / 1000) * ratePerSecond);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
