import { Inject, Injectable } from '@nestjs/common';
import { RealtimeCounters, type BehaviorEvent } from '@lemo/domain';
import { AppConfig } from '@lemo/platform-config';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';
import { METRICS_SERIES, METRICS_TTL_SECONDS, metricBucket, metricField } from './realtime-metrics';
import { StreamMetrics } from './stream-metrics';
import { REALTIME_METRICS_JOB } from './stream-job';
import { TenantBatchJob } from './tenant-batch.job';

/**
 * Real-time metrics: counts every behaviour event into a per-minute bucket of
 * its tenant by (scenario, experiment, group, action), on the RealtimeCounters
 * of the profile (Redis on the cluster profile). An event id counts once per
 * bucket, so a redelivered batch changes nothing; a batch's handler resolves
 * after its counts are written, so offsets are committed after them.
 * Buckets expire after METRICS_TTL_SECONDS; older events are not counted.
 */
@Injectable()
export class RealtimeMetricsJob extends TenantBatchJob {
  readonly definition = REALTIME_METRICS_JOB;

  constructor(
    private readonly counters: RealtimeCounters,
    metrics: StreamMetrics,
    config: AppConfig,
    @Inject(LOGGER) logger: AppLogger,
  ) {
    super(metrics, config, logger);
  }

  protected write(tenantId: string, events: BehaviorEvent[], now: number): Promise<number> {
    const increments = events.map((event) => ({ eventId: event.event_id, bucket: metricBucket(event.timestamp), field: metricField(event) }));
    return this.counters.add(tenantId, METRICS_SERIES, increments, METRICS_TTL_SECONDS, now);
  }
}
