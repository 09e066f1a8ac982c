import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AnalyticsStore, EventBus, topicPattern, type BehaviorEvent, type Subscription } from '@lemo/domain';
import { AppConfig } from '@lemo/platform-config';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';

/** One consumer group for the analytics copy: every process running jobs shares the work, and each event is stored once per group. */
export const ANALYTICS_CONSUMER_GROUP = 'analytics-ingestion';

/**
 * Copies behaviour events from the bus into the AnalyticsStore, which every
 * dashboard, trend and experiment result reads. It runs off the bus rather
 * than inside the track request so that a slow or unreachable analytics
 * database never fails or delays tracking; the bus redelivers a batch whose
 * insert threw, and the store ignores events it already holds, so redelivery
 * never counts an event twice.
 */
@Injectable()
export class AnalyticsIngestion implements OnApplicationBootstrap, OnApplicationShutdown {
  /** Pending until the consumer joined; a process never waits for it to start serving or running jobs. */
  private subscription: Promise<Subscription | null> = Promise.resolve(null);

  constructor(
    private readonly bus: EventBus,
    private readonly analytics: AnalyticsStore,
    private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.bus
      .subscribe<BehaviorEvent>(topicPattern(this.config.topics.behaviors), ANALYTICS_CONSUMER_GROUP, async (messages) => {
        await this.analytics.insertBehaviors(messages.map((message) => message.value));
      })
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'analytics ingestion could not subscribe to behaviour events: dashboards and experiment results will not grow');
        return null;
      });
  }

  async onApplicationShutdown(): Promise<void> {
    const subscription = await this.subscription;
    await subscription?.close();
  }
}
