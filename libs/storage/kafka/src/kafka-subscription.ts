import { Logger } from '@nestjs/common';
import type { BusHandler, Subscription } from '@lemo/domain';
import { ConsumerLag } from '@lemo/platform-observability';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeMessage } from './bus-message-codec';
import { messageOf } from './error-message';
import type { ResolvedKafkaOptions } from './kafka-storage.options';

export type SubscriptionOptions = Pick<
  ResolvedKafkaOptions,
  'namespace' | 'topicRefreshIntervalMs' | 'fetchMaxWaitMs' | 'handlerRetryDelayMs' | 'handlerRetryMaxDelayMs' | 'sessionTimeoutMs'
> & {
  /** Partitions whose batches are handled at once (kafkajs keeps each partition's own batches in order). */
  concurrency?: number;
};

/** Heartbeat at least this often while a handler runs or a failed batch waits for its retry, so the member keeps its partitions. */
const HEARTBEAT_WHILE_WAITING_MS = 1000;

/**
 * One consumer-group member over every topic matching a pattern. kafkajs only
 * matches a RegExp against the topics that exist when it subscribes, so this
 * lists the topics itself every `topicRefreshIntervalMs` and, when the
 * matching set changes, restarts its consumer with the new explicit list (a
 * new group starts at the earliest offset, so nothing published before is missed).
 *
 * Offsets are committed per batch, only after the handler resolved; a handler
 * that throws gets the same batch again after a backoff (heartbeating meanwhile),
 * so delivery is at least once and in order per partition, i.e. per key.
 */
export class KafkaSubscription implements Subscription {
  private readonly logger = new Logger('KafkaEventBus');
  private readonly pattern: RegExp;
  private readonly stop = new AbortController();
  private consumer?: Consumer;
  /** Physical topic names the consumer runs on, sorted. */
  private topics: string[] = [];
  /** The consumer died for good (or never started): start it again at the next refresh. */
  private broken = false;
  private timer?: NodeJS.Timeout;
  /** Refreshes, restarts and close run one after the other. */
  private work: Promise<void> = Promise.resolve();
  private refreshFailures = 0;
  /** Lag of each partition this member consumes, as of its last batch (`lemo_bus_consumer_lag`). */
  readonly lag = new ConsumerLag();

  constructor(
    topicPattern: RegExp,
    private readonly groupId: string,
    private readonly handler: BusHandler,
    private readonly kafka: Kafka,
    private readonly listTopics: () => Promise<string[]>,
    private readonly options: SubscriptionOptions,
    private readonly onClose: () => void,
  ) {
    // A global or sticky RegExp keeps lastIndex between test() calls and would skip topics.
    this.pattern = new RegExp(topicPattern.source, topicPattern.flags.replace(/[gy]/g, ''));
  }

  get closed(): boolean {
    return this.stop.signal.aborted;
  }

  /** Starts on the topics matching now (if Kafka answers; otherwise the refresh retries). */
  async start(): Promise<void> {
    await this.serially(() => this.refresh());
    this.scheduleRefresh();
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.stop.abort();
      clearTimeout(this.timer);
      this.onClose();
    }
    await this.serially(() => this.stopConsumer());
  }

  private serially(task: () => Promise<void>): Promise<void> {
    const next = this.work.then(task).catch((error: unknown) => this.logger.warn(`group '${this.groupId}': ${messageOf(error)}`));
    this.work = next;
    return next;
  }

  private scheduleRefresh(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.serially(() => this.refresh()).then(() => this.scheduleRefresh()), this.options.topicRefreshIntervalMs);
  }

  private matches(physical: string): boolean {
    const { namespace } = this.options;
    return physical.startsWith(namespace) && !physical.startsWith('__') && this.pattern.test(physical.slice(namespace.length));
  }

  private async refresh(): Promise<void> {
    if (this.closed) return;
    let matching: string[];
    try {
      matching = (await this.listTopics()).filter((topic) => this.matches(topic)).sort();
      this.refreshFailures = 0;
    } catch (error) {
      if (this.refreshFailures++ === 0) this.logger.warn(`group '${this.groupId}' cannot list topics, retrying: ${messageOf(error)}`);
      return;
    }
    const changed = matching.length !== this.topics.length || matching.some((topic, i) => topic !== this.topics[i]);
    if (changed || this.broken) await this.restart(matching);
  }

  private async restart(topics: string[]): Promise<void> {
    await this.stopConsumer();
    this.topics = topics;
    this.broken = false;
    if (topics.length === 0 || this.closed) return;
    const consumer = this.kafka.consumer({
      groupId: `${this.options.namespace}${this.groupId}`,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: this.options.fetchMaxWaitMs,
      sessionTimeout: this.options.sessionTimeoutMs,
    });
    // kafkajs restarts a consumer after retriable errors itself; after any other it gives up, and the next refresh starts a new one.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.broken = true;
    });
    // A rebalance may move partitions to another member, which reports them from then on.
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const assigned = payload.memberAssignment;
      this.lag.retain((sample) => assigned[`${this.options.namespace}${sample.topic}`]?.includes(sample.partition) ?? false);
    });
    this.consumer = consumer;
    try {
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.concurrency ?? 1,
        eachBatch: (payload) => this.deliver(payload),
      });
    } catch (error) {
      this.broken = true;
      this.logger.warn(`group '${this.groupId}' cannot start its consumer, retrying: ${messageOf(error)}`);
    }
  }

  private async stopConsumer(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    // Waits for the batch in flight; kafkajs then leaves the group, so its partitions move at once.
    await consumer?.disconnect().catch((error: unknown) => this.logger.warn(`group '${this.groupId}' did not disconnect cleanly: ${messageOf(error)}`));
    // After the batch in flight: its partitions are no longer this member's to report.
    this.lag.clear();
  }

  private async deliver({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const active = () => !this.closed && isRunning() && !isStale();
    if (batch.messages.length === 0 || !active()) return;
    const topic = batch.topic.slice(this.options.namespace.length);
    const messages = batch.messages.map((message) => decodeMessage(topic, message));
    // Behind the high watermark of the fetch: this batch and what follows it; once committed, only what follows.
    const lagFrom = (offset: string) =>
      this.lag.set({ group: this.groupId, topic, partition: batch.partition, lag: Number(BigInt(batch.highWatermark) - BigInt(offset)) });
    lagFrom(batch.firstOffset() ?? batch.lastOffset());
    for (let attempt = 1; ; attempt++) {
      try {
        await this.whileHeartbeating(this.handler(messages), heartbeat);
        break;
      } catch (error) {
        if (!active()) return;
        const delay = Math.min(this.options.handlerRetryMaxDelayMs, this.options.handlerRetryDelayMs * 2 ** Math.min(attempt - 1, 20));
        this.logger.warn(
          `group '${this.groupId}' failed on ${topic}[${batch.partition}] at offset ${batch.firstOffset()} (attempt ${attempt}), retrying in ${delay} ms: ${messageOf(error)}`,
        );
        await this.wait(delay, heartbeat);
        // Closing or a rebalance: leave the batch uncommitted to whoever gets the partition.
        if (!active()) return;
      }
    }
    resolveOffset(batch.lastOffset());
    const next = (BigInt(batch.lastOffset()) + 1n).toString();
    await commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }] });
    lagFrom(next);
  }

  /**
   * Waits for the handler while heartbeating, as `wait` does between attempts: kafkajs heartbeats only
   * between batches, so a handler slower than `sessionTimeoutMs` (a slow store) would be dropped from
   * the group, its commit refused and its batch handed out again, as slow the next time. A heartbeat
   * that fails (a rebalance) stops the heartbeats; the batch is then not committed by this member.
   */
  private async whileHeartbeating(work: Promise<void>, heartbeat: () => Promise<void>): Promise<void> {
    let beating = true;
    let inFlight = false;
    const timer = setInterval(() => {
      if (!beating || inFlight || this.closed) return;
      inFlight = true;
      heartbeat()
        .catch(() => (beating = false))
        .finally(() => (inFlight = false));
    }, HEARTBEAT_WHILE_WAITING_MS);
    try {
      await work;
    } finally {
      clearInterval(timer);
    }
  }

  /** Sleeps `ms` (cut short by close) while heartbeating; a heartbeat that reports a rebalance throws, and kafkajs rejoins. */
  private async wait(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const until = Date.now() + ms;
    while (!this.closed && Date.now() < until) {
      await sleep(Math.min(HEARTBEAT_WHILE_WAITING_MS, until - Date.now()), undefined, { signal: this.stop.signal }).catch(() => undefined);
      if (!this.closed) await heartbeat();
    }
  }
}
