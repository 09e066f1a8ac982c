import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DomainError, EventBus, type BusHandler, type SubscribeOptions, type Subscription } from '@lemo/domain';
import type { ConsumerLagSample } from '@lemo/platform-observability';
import { Partitioners, type Admin, type Kafka, type Message, type Producer } from 'kafkajs';
import { encodeMessages, type OutgoingMessage } from './bus-message-codec';
import { createKafka, LazyConnection } from './kafka-client';
import { resolveKafkaOptions, type KafkaStorageOptions, type ResolvedKafkaOptions } from './kafka-storage.options';
import { KafkaSubscription } from './kafka-subscription';
import { OutboxRelay } from './outbox/outbox-relay';
import { IN_MEMORY, SqliteOutbox, type StoredRecord } from './outbox/sqlite-outbox';

/** How long close() lets the relay finish the send in flight after the flush wait. */
const RELAY_STOP_TIMEOUT_MS = 2000;

export interface OutboxStatus {
  /** Events accepted but not yet acknowledged by Kafka. */
  depth: number;
  /** Age of the oldest of them, ms (0 when empty). */
  oldestAgeMs: number;
  /** Consecutive failed sends to Kafka (0 while Kafka accepts them). */
  relayFailures: number;
  lastError?: string;
}

export interface ClusterInfo {
  brokers: string[];
  controller: number | null;
  clusterId: string;
}

/**
 * The EventBus on Apache Kafka (kafkajs). `publish` appends to a durable local
 * outbox and resolves once that write is on disk; a relay sends the outbox to
 * Kafka in order (idempotent producer, acks from all in-sync replicas) and
 * deletes rows only after Kafka acknowledged them. So an accepted message is
 * never lost while Kafka is unreachable, and delivery is at least once:
 * consumers must de-duplicate by event id.
 */
export class KafkaEventBus extends EventBus implements OnApplicationShutdown {
  private readonly logger = new Logger('KafkaEventBus');
  private readonly kafka: Kafka;
  private readonly admin: LazyConnection<Admin>;
  private readonly producer: LazyConnection<Producer>;
  private readonly relay: OutboxRelay;
  private readonly subscriptions = new Set<KafkaSubscription>();
  /** Topics known to exist, so the relay asks the admin API only about new ones. */
  private readonly knownTopics = new Set<string>();
  private closing?: Promise<void>;

  private constructor(
    private readonly options: ResolvedKafkaOptions,
    private readonly outbox: SqliteOutbox,
  ) {
    super();
    this.kafka = createKafka(options);
    this.admin = new LazyConnection(() => this.kafka.admin(), 'admin client');
    this.producer = new LazyConnection(
      () =>
        this.kafka.producer({
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
          // The Java client's murmur2 partitioner: every producer of a topic agrees on the partition of a key.
          createPartitioner: Partitioners.DefaultPartitioner,
          retry: { initialRetryTime: 100, maxRetryTime: 2000, retries: 5 },
        }),
      'producer',
    );
    this.relay = new OutboxRelay(outbox, (records) => this.send(records), {
      batchMaxMessages: options.relayBatchMaxMessages,
      batchMaxBytes: options.relayBatchMaxBytes,
      retryInitialMs: options.relayRetryInitialMs,
      retryMaxMs: options.relayRetryMaxMs,
    });
  }

  /** Opens the outbox and starts relaying what it holds (left by a previous run, too). Kafka may be down: nothing here waits for it. */
  static open(options: KafkaStorageOptions): KafkaEventBus {
    const resolved = resolveKafkaOptions(options);
    const bus = new KafkaEventBus(resolved, SqliteOutbox.open(resolved.outboxPath));
    if (bus.outbox.depth > 0) bus.logger.log(`${bus.outbox.depth} event(s) waiting in the outbox from a previous run`);
    bus.relay.start();
    return bus;
  }

  async publish<T>(messages: ReadonlyArray<OutgoingMessage & { value: T }>): Promise<void> {
    if (this.closing) throw new DomainError('UNAVAILABLE', 'event bus is closed');
    if (messages.length === 0) return;
    await this.outbox.append(encodeMessages(messages, this.options.namespace, this.options.maxMessageBytes, Date.now()));
    this.relay.wake();
  }

  async subscribe<T>(topicPattern: RegExp, groupId: string, handler: BusHandler<T>, options: SubscribeOptions = {}): Promise<Subscription> {
    if (this.closing) throw new DomainError('UNAVAILABLE', 'event bus is closed');
    if (!groupId) throw DomainError.invalid('groupId', 'must not be empty');
    const subscription = new KafkaSubscription(
      topicPattern,
      groupId,
      handler as BusHandler,
      this.kafka,
      () => this.admin.use((admin) => admin.listTopics()),
      { ...this.options, concurrency: options.concurrency ?? 1 },
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    await subscription.start();
    return subscription;
  }

  /** Lag of every partition this process's subscriptions consume, as of each one's last batch. */
  consumerLag(): ConsumerLagSample[] {
    return [...this.subscriptions].flatMap((subscription) => subscription.lag.values());
  }

  outboxDepth(): number {
    return this.outbox.depth;
  }

  outboxStatus(): OutboxStatus {
    const { failures, lastError } = this.relay.status;
    return { depth: this.outbox.depth, oldestAgeMs: this.outbox.oldestAgeMs(), relayFailures: failures, ...(lastError !== undefined && { lastError }) };
  }

  /** One round trip to the cluster, bounded by `healthTimeoutMs`. */
  async describeCluster(): Promise<ClusterInfo> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.options.healthTimeoutMs} ms`)), this.options.healthTimeoutMs);
    });
    try {
      const cluster = await Promise.race([this.admin.use((admin) => admin.describeCluster()), timedOut]);
      return { brokers: cluster.brokers.map((b) => `${b.nodeId}@${b.host}:${b.port}`), controller: cluster.controller, clusterId: cluster.clusterId };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves true once every accepted message reached Kafka, false if that takes longer than `timeoutMs`. */
  flush(timeoutMs: number): Promise<boolean> {
    return this.relay.drained(timeoutMs);
  }

  /**
   * Graceful stop: refuses new messages, writes those already accepted, closes
   * the subscriptions (waiting for their handlers), gives the relay
   * `shutdownFlushTimeoutMs` to empty the outbox, then disconnects. What is
   * still in a file outbox is sent by the next process that opens it.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private async shutdown(): Promise<void> {
    this.outbox.commitPending();
    this.relay.wake();
    const flushed = this.relay.drained(this.options.shutdownFlushTimeoutMs);
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    if (!(await flushed)) {
      const left = `${this.outbox.depth} event(s) not yet acknowledged by Kafka`;
      if (this.outbox.file === IN_MEMORY) this.logger.error(`${left} are lost: the outbox is in memory`);
      else this.logger.warn(`${left} stay in ${this.outbox.file} and are sent at the next start`);
    }
    await this.relay.stop(RELAY_STOP_TIMEOUT_MS);
    await Promise.all([this.producer.close(), this.admin.close()]);
    this.outbox.close();
  }

  private async send(records: readonly StoredRecord[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const record of records) {
      const messages = byTopic.get(record.topic) ?? [];
      messages.push({ key: record.key, value: record.value, headers: JSON.parse(record.headers) as Record<string, string>, timestamp: String(record.acceptedAt) });
      byTopic.set(record.topic, messages);
    }
    try {
      await this.ensureTopics([...byTopic.keys()]);
      await this.producer.use((producer) => producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) }));
    } catch (error) {
      // A topic deleted behind our back is created again at the next attempt.
      this.knownTopics.clear();
      throw error;
    }
  }

  /** Creates missing topics with the configured partitions and replication (never the broker's auto-create defaults). */
  private async ensureTopics(topics: string[]): Promise<void> {
    const unknown = topics.filter((topic) => !this.knownTopics.has(topic));
    if (unknown.length === 0) return;
    await this.admin.use(async (admin) => {
      const existing = new Set(await admin.listTopics());
      for (const topic of unknown) {
        if (!existing.has(topic)) {
          const { partitions: numPartitions, replicationFactor } = this.options;
          await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor }], waitForLeaders: true });
          this.logger.log(`created topic ${topic} (${numPartitions} partitions, replication ${replicationFactor})`);
        }
        this.knownTopics.add(topic);
      }
    });
  }
}
