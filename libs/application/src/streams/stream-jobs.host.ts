import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { hostname } from 'node:os';
import { EventBus, topicPattern, type BusMessage, type Subscription } from '@lemo/domain';
import { AppConfig } from '@lemo/platform-config';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';
import { AnalyticsSinkJob } from './analytics-sink.job';
import { RealtimeMetricsJob } from './realtime-metrics.job';
import { ServingFeaturesJob } from './serving-features.job';
import { StreamJobControl, type StreamJobReport } from './stream-job-control';
import { StreamMetrics } from './stream-metrics';
import { deployedStreamJobs, type StreamJob, type StreamJobState } from './stream-job';

/** How often a process reads the jobs' desired states and reports on them. */
export const CONTROL_POLL_MS = 2_000;

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** One job in this process: its subscription follows the desired state. */
class JobRunner {
  state: StreamJobState = 'stopped';
  processed = 0;
  batches = 0;
  lastBatchAt: number | null = null;
  private subscription: Subscription | null = null;
  /** State changes run one after the other. */
  private changing: Promise<void> = Promise.resolve();

  constructor(
    readonly job: StreamJob,
    private readonly open: (handler: (messages: BusMessage<unknown>[]) => Promise<void>) => Promise<Subscription>,
    private readonly metrics: StreamMetrics,
    private readonly logger: AppLogger,
  ) {}

  apply(desired: StreamJobState): Promise<void> {
    this.changing = this.changing.then(() => this.change(desired));
    return this.changing;
  }

  report(instance: string): StreamJobReport {
    return {
      instance,
      state: this.state,
      processed_events: this.processed,
      batches: this.batches,
      last_batch_at: this.lastBatchAt,
      pending_rows: this.job.pendingRows,
      reported_at: Date.now(),
    };
  }

  private async change(desired: StreamJobState): Promise<void> {
    const name = this.job.definition.name;
    if (desired === 'running' && !this.subscription) {
      this.job.hold();
      try {
        this.subscription = await this.open((messages) => this.handle(messages));
      } catch (error) {
        // The next poll tries again.
        this.logger.error({ job: name, err: errorText(error) }, 'stream job could not subscribe to behaviour events');
        return;
      }
    } else if (desired !== 'running' && this.subscription) {
      const subscription = this.subscription;
      this.subscription = null;
      // Write what is held (and what arrives while closing) at once: the handlers in flight resolve, their offsets are committed, and the bus hands over nothing more.
      await Promise.all([this.job.drain(), subscription.close()]);
    }
    if (this.state !== desired) this.logger.info({ job: name, from: this.state, to: desired }, 'stream job state changed');
    this.state = desired;
    this.metrics.running.set({ job: name }, desired === 'running' ? 1 : 0);
  }

  private async handle(messages: BusMessage<unknown>[]): Promise<void> {
    await this.job.handle(messages);
    this.processed += messages.length;
    this.batches += 1;
    this.lastBatchAt = Date.now();
    this.metrics.eventsHandled.inc({ job: this.job.definition.name }, messages.length);
  }
}

/**
 * Runs the stream jobs of this process (the streams app, or the all-in-one):
 * each job subscribes to every tenant's behaviour topic with its own consumer
 * group, follows the desired state of StreamJobControl (read every
 * CONTROL_POLL_MS) and reports on itself there. Shutdown writes every job's
 * pending batch before its subscription closes.
 */
@Injectable()
export class StreamJobsHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly instance = `${hostname()}:${process.pid}`;
  private readonly runners: JobRunner[];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private polling: Promise<void> = Promise.resolve();

  constructor(
    private readonly bus: EventBus,
    private readonly control: StreamJobControl,
    config: AppConfig,
    metrics: StreamMetrics,
    @Inject(LOGGER) private readonly logger: AppLogger,
    analyticsSink: AnalyticsSinkJob,
    realtimeMetrics: RealtimeMetricsJob,
    servingFeatures: ServingFeaturesJob,
  ) {
    const pattern = topicPattern(config.topics.behaviors);
    const { batchMaxRows, consumerConcurrency } = config.background.streams;
    // The serving features have one writer: the API (inline) or this job, never both (hot scores would count twice).
    const deployed = new Set(deployedStreamJobs(config.background.servingFeaturesWriter));
    const jobs = [analyticsSink, realtimeMetrics, servingFeatures].filter((job: StreamJob) => deployed.has(job.definition));
    this.runners = jobs.map(
      (job) =>
        new JobRunner(
          job,
          // Up to a full batch per delivery, several at once: one write then gathers many partitions (or tenants).
          (handler) => this.bus.subscribe(pattern, job.definition.consumer_group, handler, { concurrency: consumerConcurrency, maxBatchMessages: batchMaxRows }),
          metrics,
          logger,
        ),
    );
  }

  /** The jobs of this process with their state here. */
  get jobs(): ReadonlyArray<{ job: StreamJob; state: StreamJobState }> {
    return this.runners.map((runner) => ({ job: runner.job, state: runner.state }));
  }

  onApplicationBootstrap(): void {
    // Never holds up the start: a process serves and runs jobs while the first poll subscribes.
    this.polling = this.poll();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
    await Promise.all(this.runners.map((runner) => runner.apply('stopped')));
  }

  /** Reads the desired states now and applies them (the timer does this every CONTROL_POLL_MS). */
  async reconcile(): Promise<void> {
    await Promise.all(
      this.runners.map(async (runner) => {
        const name = runner.job.definition.name;
        const desired = await this.control.desired(name).catch((error: unknown) => {
          // The cache is unreachable: keep doing what the job does now.
          this.logger.warn({ job: name, err: errorText(error) }, 'stream job control unreadable; keeping the current state');
          return runner.state === 'stopped' && runner.processed === 0 ? 'running' : runner.state;
        });
        if (this.stopped) return;
        await runner.apply(desired);
        await this.control.report(name, runner.report(this.instance)).catch(() => undefined);
      }),
    );
  }

  private async poll(): Promise<void> {
    await this.reconcile();
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.polling = this.poll();
    }, CONTROL_POLL_MS);
    this.timer.unref();
  }
}
