import { Inject, Injectable } from '@nestjs/common';
import { AnalyticsStore, topicPattern, type BehaviorEvent, type BusMessage } from '@lemo/domain';
import { AppConfig } from '@lemo/platform-config';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';
import { behaviorEventsOf, skipRecorder } from './behavior-messages';
import { RowBatcher } from './row-batcher';
import { StreamMetrics } from './stream-metrics';
import { ANALYTICS_SINK_JOB, StreamJob } from './stream-job';

/**
 * The ClickHouse sink (the AnalyticsStore of the profile): copies behaviour
 * events into the store every dashboard, trend and experiment result reads,
 * in batches of STREAMS_BATCH_MAX_ROWS rows or STREAMS_BATCH_MAX_WAIT_MS.
 * A bus batch's handler resolves only once its rows are inserted, so offsets
 * are committed after the insert; a crash before that redelivers the batch,
 * and the store ignores event ids it holds (per tenant), so a replay, whole
 * or overlapping, never changes a count. It runs off the bus rather than in
 * the track request so that a slow or unreachable analytics database never
 * fails or delays tracking.
 */
@Injectable()
export class AnalyticsSinkJob extends StreamJob {
  readonly definition = ANALYTICS_SINK_JOB;
  private readonly batcher: RowBatcher<BehaviorEvent>;
  private readonly topic: RegExp;

  constructor(
    private readonly analytics: AnalyticsStore,
    private readonly metrics: StreamMetrics,
    config: AppConfig,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {
    super();
    this.topic = topicPattern(config.topics.behaviors);
    const { batchMaxRows, batchMaxWaitMs } = config.background.streams;
    this.batcher = new RowBatcher((rows) => this.insert(rows), { maxRows: batchMaxRows, maxWaitMs: batchMaxWaitMs });
  }

  override get pendingRows(): number {
    return this.batcher.pendingRows;
  }

  async handle(messages: ReadonlyArray<BusMessage<unknown>>): Promise<void> {
    const written = this.batcher.add(behaviorEventsOf(messages, this.topic, skipRecorder(this.definition.name, this.metrics, this.logger)));
    this.metrics.pendingRows.set({ job: this.definition.name }, this.batcher.pendingRows);
    await written;
  }

  override drain(): Promise<void> {
    return this.batcher.drain();
  }

  override hold(): void {
    this.batcher.hold();
  }

  private async insert(rows: BehaviorEvent[]): Promise<void> {
    const job = this.definition.name;
    const stop = this.metrics.flushDuration.startTimer({ job });
    this.metrics.pendingRows.set({ job }, this.batcher.pendingRows);
    try {
      await this.analytics.insertBehaviors(rows);
    } catch (error) {
      stop({ outcome: 'error' });
      // The bus redelivers every batch of the write after its backoff; the store skips what did get in.
      this.logger.warn(
        { job, rows: rows.length, err: error instanceof Error ? error.message : String(error) },
        'analytics sink insert failed; the batches will be delivered again',
      );
      throw error;
    }
    stop({ outcome: 'ok' });
    this.metrics.batchRows.observe({ job }, rows.length);
    this.metrics.rowsWritten.inc({ job }, rows.length);
  }
}
