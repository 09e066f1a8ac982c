import { topicPattern, type BehaviorEvent, type BusMessage } from '@lemo/domain';
import type { AppConfig } from '@lemo/platform-config';
import type { AppLogger } from '@lemo/platform-observability';
import { REQUEST_ID_HEADER } from '../shared/request-trace';
import { behaviorEventsByTenant, type SkipReason } from './behavior-messages';
import type { StreamMetrics } from './stream-metrics';
import { StreamJob } from './stream-job';

/**
 * A stream job that writes each bus batch as it comes, tenant by tenant (no
 * batching across deliveries): it validates the batch's behaviour events,
 * times the writes and counts what they wrote. `handle` resolves once every
 * tenant's write is done, so the bus commits the offsets after them; a failed
 * write rejects the batch, which the bus delivers again.
 */
export abstract class TenantBatchJob extends StreamJob {
  private readonly topic: RegExp;

  protected constructor(
    private readonly metrics: StreamMetrics,
    config: AppConfig,
    private readonly logger: AppLogger,
  ) {
    super();
    this.topic = topicPattern(config.topics.behaviors);
  }

  /** Writes one tenant's events of the batch; resolves with what it wrote (rows, counts) for the metrics. */
  protected abstract write(tenantId: string, events: BehaviorEvent[], now: number): Promise<number>;

  async handle(messages: ReadonlyArray<BusMessage<unknown>>): Promise<void> {
    const byTenant = behaviorEventsByTenant(messages, this.topic, (message, reason) => this.skip(message, reason));
    const job = this.definition.name;
    const stop = this.metrics.flushDuration.startTimer({ job });
    let written = 0;
    try {
      const now = Date.now();
      for (const [tenantId, events] of byTenant) written += await this.write(tenantId, events, now);
    } catch (error) {
      stop({ outcome: 'error' });
      throw error;
    }
    stop({ outcome: 'ok' });
    this.metrics.rowsWritten.inc({ job }, written);
  }

  private skip(message: BusMessage<unknown>, reason: SkipReason): void {
    this.metrics.eventsSkipped.inc({ job: this.definition.name, reason });
    this.logger.warn({ job: this.definition.name, topic: message.topic, key: message.key, reason, request_id: message.headers[REQUEST_ID_HEADER] }, 'stream job skipped a record');
  }
}
