import { Inject, Injectable } from '@nestjs/common';
import type { BehaviorEvent } from '@lemo/domain';
import { AppConfig } from '@lemo/platform-config';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';
import { ServingFeatureWrites, servingFeatureChanges } from '../behavior/serving-features';
import { ScenarioLookup } from '../scenarios/scenario-lookup';
import { StreamMetrics } from './stream-metrics';
import { SERVING_FEATURES_JOB } from './stream-job';
import { TenantBatchJob } from './tenant-batch.job';

/**
 * The real-time serving features from the behaviour topic, when
 * SERVING_FEATURES_WRITER=streams: each item's hot score (action weights,
 * decay and sliding window of its scenario's realtime config, into the
 * scenario's sorted set on Redis, trimmed to the best items), each user's
 * recent interactions (read by the next recommendation: item-to-item recall,
 * seen items, the ranker's user features), then the user's cache generation.
 *
 * A batch's handler resolves once every write is done, so its offsets are
 * committed after them; a failed write (Redis down) rejects the batch and the
 * bus delivers it again. Recent interactions are stored once however often an
 * event arrives; a redelivered batch adds its hot-score increments again, so a
 * crash between the writes and the commit can count one batch twice: hot
 * scores are a popularity signal, approximate by design.
 */
@Injectable()
export class ServingFeaturesJob extends TenantBatchJob {
  readonly definition = SERVING_FEATURES_JOB;

  constructor(
    private readonly writes: ServingFeatureWrites,
    private readonly scenarios: ScenarioLookup,
    metrics: StreamMetrics,
    config: AppConfig,
    @Inject(LOGGER) logger: AppLogger,
  ) {
    super(metrics, config, logger);
  }

  protected async write(tenantId: string, events: BehaviorEvent[], now: number): Promise<number> {
    const ids = [...new Set(events.map((event) => event.scenario_id))];
    const found = await Promise.all(ids.map((id) => this.scenarios.find(tenantId, id)));
    const scenarios = new Map(ids.map((id, i) => [id, found[i]]));
    // Users apart, at once; within a user in order: the cache generation moves only after the recent items are stored.
    const groups = this.writes.groups(
      tenantId,
      servingFeatureChanges(tenantId, events, (id) => scenarios.get(id), now),
    );
    await Promise.all(
      groups.map(async (group) => {
        for (const write of group) await write.run();
      }),
    );
    return events.length;
  }
}
