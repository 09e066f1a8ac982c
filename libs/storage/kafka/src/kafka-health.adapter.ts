import { HealthIndicator, type DependencyHealth } from '@lemo/domain';
import { messageOf } from './error-message';
import type { KafkaEventBus } from './kafka-event-bus.adapter';

/**
 * Kafka for readiness: `ok` means a broker answered a cluster description.
 * The detail carries the outbox depth either way, since while Kafka is down
 * events still are accepted and wait there.
 */
export class KafkaHealthIndicator extends HealthIndicator {
  constructor(private readonly bus: KafkaEventBus) {
    super();
  }

  async check(): Promise<DependencyHealth[]> {
    const outbox = this.bus.outboxStatus();
    const waiting = `outbox depth ${outbox.depth}${outbox.depth > 0 ? ` (oldest ${Math.round(outbox.oldestAgeMs / 1000)} s)` : ''}`;
    const relay = outbox.lastError === undefined ? '' : `, relay failing ${outbox.relayFailures}x: ${outbox.lastError}`;
    try {
      const cluster = await this.bus.describeCluster();
      return [{ name: 'kafka', ok: true, detail: `brokers ${cluster.brokers.join(', ')}; ${waiting}${relay}` }];
    } catch (error) {
      return [{ name: 'kafka', ok: false, detail: `unreachable: ${messageOf(error)}; ${waiting}${relay}` }];
    }
  }
}
