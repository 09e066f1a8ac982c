import { topicPattern, type BehaviorEvent, type BusMessage } from '@lemo/domain';
import type { AppConfig } from '@lemo/platform-config';
import type { AppLogger } from '@lemo/platform-observability';
import { behaviorEventsByTenant, skipRecorder } from './behavior-messages';
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
    const job = this.definition.name;
    const byTenant = behaviorEventsByTenant(messages, this.topic, skipRecorder(job, this.metrics, this.logger));
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
}
