import { Inject, Injectable } from '@nestjs/common';
import { RealtimeCounters, topicPattern, type BusMessage, type CounterIncrement } from '@lemo/domain';
import { AppConfig } from '@lemo/platform-config';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';
import { behaviorEventsOf, type SkipReason } from './behavior-messages';
import { METRICS_SERIES, METRICS_TTL_SECONDS, metricBucket, metricField } from './realtime-metrics';
import { StreamMetrics } from './stream-metrics';
import { REALTIME_METRICS_JOB, StreamJob } from './stream-job';

/**
 * Real-time metrics: counts every behaviour event into a per-minute bucket of
 * its tenant by (scenario, experiment, group, action), on the RealtimeCounters
 * of the profile (Redis on the cluster profile). An event id counts once per
 * bucket, so a redelivered batch changes nothing; a batch's handler resolves
 * after its counts are written, so offsets are committed after them.
 * Buckets expire after METRICS_TTL_SECONDS; older events are not counted.
 */
@Injectable()
export class RealtimeMetricsJob extends StreamJob {
  readonly definition = REALTIME_METRICS_JOB;
  private readonly topic: RegExp;

  constructor(
    private readonly counters: RealtimeCounters,
    private readonly metrics: StreamMetrics,
    config: AppConfig,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {
    super();
    this.topic = topicPattern(config.topics.behaviors);
  }

  async handle(messages: ReadonlyArray<BusMessage<unknown>>): Promise<void> {
    const byTenant = new Map<string, CounterIncrement[]>();
    for (const event of behaviorEventsOf(messages, this.topic, (message, reason) => this.skip(message, reason))) {
      const increments = byTenant.get(event.tenant_id) ?? [];
      increments.push({ eventId: event.event_id, bucket: metricBucket(event.timestamp), field: metricField(event) });
      byTenant.set(event.tenant_id, increments);
    }
    const job = this.definition.name;
    const stop = this.metrics.flushDuration.startTimer({ job });
    let counted = 0;
    try {
      const now = Date.now();
      for (const [tenantId, increments] of byTenant) counted += await this.counters.add(tenantId, METRICS_SERIES, increments, METRICS_TTL_SECONDS, now);
    } catch (error) {
      stop({ outcome: 'error' });
      throw error;
    }
    stop({ outcome: 'ok' });
    this.metrics.rowsWritten.inc({ job }, counted);
  }

  private skip(message: BusMessage<unknown>, reason: SkipReason): void {
    this.metrics.eventsSkipped.inc({ job: this.definition.name, reason });
    this.logger.warn({ job: this.definition.name, topic: message.topic, key: message.key, reason }, 'stream job skipped a record');
  }
}
