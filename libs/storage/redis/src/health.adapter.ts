import { HealthIndicator, type DependencyHealth } from '@lemo/domain';
import type { Redis } from 'ioredis';
import { toDomainError } from './redis-errors';

/** Readiness: Redis answers PING (within the connection's command timeout). */
export class RedisHealthIndicator extends HealthIndicator {
  constructor(
    private readonly redis: Redis,
    /** host:port, never the URL: it may carry a password. */
    private readonly address: string,
  ) {
    super();
  }

  async check(): Promise<DependencyHealth[]> {
    try {
      const reply = await this.redis.ping();
      return [{ name: 'redis', ok: reply === 'PONG', detail: this.address }];
    } catch (error) {
      return [{ name: 'redis', ok: false, detail: `${this.address}: ${toDomainError(error).message}` }];
    }
  }
}
