import { DomainError, EventBus, type BusHandler, type SubscribeOptions, type Subscription } from '@lemo/domain';
import { ConsumerLag, type ConsumerLagSample } from '@lemo/platform-observability';
import type { SqliteDatabase } from '../sqlite/sqlite-database';
import { guarded } from '../sqlite/sqlite-errors';
import { BusLog, type OutgoingMessage } from './bus-log';
import { BusSubscription, type DeliveryOptions } from './bus-subscription';

export interface EventBusOptions extends DeliveryOptions {
  /** Fallback scan for work this process was not told about (other processes, retries after a storage error). */
  pollIntervalMs: number;
  /** Messages older than this are pruned, like a Kafka topic's retention. */
  retentionMs: number;
}

export const DEFAULT_EVENT_BUS_OPTIONS: EventBusOptions = { batchSize: 500, retryDelayMs: 1000, pollIntervalMs: 1000, retentionMs: 7 * 24 * 3600 * 1000 };

const PRUNE_EVERY_MS = 60_000;

/**
 * An in-process bus with Kafka's guarantees that matter here: publish resolves
 * once the messages are in SQLite, consumer groups resume from their committed
 * offsets after a restart, and delivery is at least once, in order per topic.
 * Publishing wakes subscribers directly, so delivery needs no polling.
 */
export class EmbeddedEventBus extends EventBus {
  private readonly log: BusLog;
  private readonly subscriptions = new Set<BusSubscription>();
  private readonly claims = new Set<string>();
  /** Per group and topic (one partition, 0): the log's next offset minus the group's committed one, as of its last batch. */
  private readonly lag = new ConsumerLag();
  private readonly timer: NodeJS.Timeout;
  private lastPrune = 0;
  private closed = false;

  constructor(
    db: SqliteDatabase,
    private readonly options: EventBusOptions = DEFAULT_EVENT_BUS_OPTIONS,
  ) {
    super();
    this.log = new BusLog(db);
    // Unref'd until someone subscribes: a process that only publishes must be free to exit.
    this.timer = setInterval(() => this.sweep(), options.pollIntervalMs).unref();
  }

  async publish<T>(messages: ReadonlyArray<OutgoingMessage & { value: T }>): Promise<void> {
    if (this.closed) throw new DomainError('UNAVAILABLE', 'event bus is closed');
    if (messages.length === 0) return;
    const topics = await guarded(() => this.log.append(messages, Date.now()));
    for (const subscription of this.subscriptions) subscription.wake(topics);
  }

  async subscribe<T>(topicPattern: RegExp, groupId: string, handler: BusHandler<T>, options: SubscribeOptions = {}): Promise<Subscription> {
    if (this.closed) throw new DomainError('UNAVAILABLE', 'event bus is closed');
    // Topics are drained concurrently already (one loop each); `concurrency` has nothing more to add here.
    const delivery = { ...this.options, batchSize: options.maxBatchMessages ?? this.options.batchSize };
    const subscription = new BusSubscription(
      topicPattern,
      groupId,
      handler as BusHandler,
      this.log,
      this.claims,
      delivery,
      () => this.forget(subscription),
      (group, topic, lag) => this.lag.set({ group, topic, partition: 0, lag }),
    );
    this.subscriptions.add(subscription);
    // A process with consumers stays alive like one holding a Kafka connection would.
    this.timer.ref();
    subscription.wake(await guarded(() => this.log.topics()));
    return subscription;
  }

  /** Lag of every group consuming in this process, per topic (`lemo_bus_consumer_lag`; the embedded log has one partition, 0). */
  consumerLag(): ConsumerLagSample[] {
    return this.lag.values();
  }

  /** Stops every subscription, waiting for handlers in flight. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
  }

  /** A group with no subscription left in this process is no longer reported. */
  private forget(closed: BusSubscription): void {
    this.subscriptions.delete(closed);
    if (![...this.subscriptions].some((subscription) => subscription.groupId === closed.groupId)) this.lag.retain((sample) => sample.group !== closed.groupId);
  }

  private sweep(): void {
    try {
      for (const subscription of this.subscriptions) subscription.wake(this.log.topicsBehind(subscription.groupId));
      if (Date.now() - this.lastPrune >= PRUNE_EVERY_MS) {
        this.lastPrune = Date.now();
        this.log.prune(Date.now() - this.options.retentionMs);
      }
    } catch {
      // The database is closing or busy; the next sweep tries again.
    }
  }
}
