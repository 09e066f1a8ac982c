import { z } from 'zod';

const ms = z.number().int().min(1);

/**
 * Options of the Kafka event bus. The first five are the ones an operator sets;
 * the rest are tuning knobs whose defaults suit production.
 */
export const kafkaStorageOptionsSchema = z.object({
  /** Bootstrap servers, `host:port`. */
  brokers: z.array(z.string().min(1)).min(1),
  clientId: z.string().min(1),
  /** Directory of the durable outbox (`<outboxPath>/event-outbox.db`); `':memory:'` for tests only (not durable). */
  outboxPath: z.string().min(1),
  /** Partitions of topics this bus creates. */
  partitions: z.number().int().min(1).default(6),
  /** Replication factor of topics this bus creates: 1 on a single-node dev broker, 3 on a production cluster. */
  replicationFactor: z.number().int().min(1).default(1),
  /**
   * Prefix of every topic and consumer group this bus touches (e.g. `staging.`), so
   * environments or test runs can share one cluster. Callers never see it: they
   * publish to, match and receive the unprefixed names.
   */
  namespace: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/)
    .default(''),
  /** How often a subscription lists topics to pick up new ones (a new tenant's topic). */
  topicRefreshIntervalMs: ms.default(10_000),
  /** Longest a consumer's fetch waits on an idle topic; also bounds how long closing a subscription takes. */
  fetchMaxWaitMs: ms.default(1000),
  /** First wait before a failed handler gets its batch again; doubles up to `handlerRetryMaxDelayMs`. */
  handlerRetryDelayMs: ms.default(1000),
  handlerRetryMaxDelayMs: ms.default(30_000),
  /** A consumer that misses heartbeats this long is dropped from its group. */
  sessionTimeoutMs: ms.default(30_000),
  /** Largest accepted message (key + JSON value + headers), below the broker's `message.max.bytes`. */
  maxMessageBytes: ms.default(1_000_000),
  relayBatchMaxMessages: ms.default(500),
  /** Payload per relay request; a partition's share of it is one record batch, which must stay below the broker's message.max.bytes. */
  relayBatchMaxBytes: ms.default(512_000),
  /** Relay backoff while Kafka is unreachable: first wait, doubling up to the max. */
  relayRetryInitialMs: ms.default(200),
  relayRetryMaxMs: ms.default(5000),
  /** On close: how long to wait for the outbox to drain to Kafka (what is left stays in the file for the next start). */
  shutdownFlushTimeoutMs: z.number().int().min(0).default(10_000),
  connectionTimeoutMs: ms.default(3000),
  requestTimeoutMs: ms.default(30_000),
  /** Bound of the health check's cluster round trip. */
  healthTimeoutMs: ms.default(3000),
});

/** What callers pass: brokers, clientId and outboxPath are required, everything else has a default. */
export type KafkaStorageOptions = z.input<typeof kafkaStorageOptionsSchema>;
export type ResolvedKafkaOptions = z.output<typeof kafkaStorageOptionsSchema>;

export const KAFKA_STORAGE_OPTIONS = Symbol('KAFKA_STORAGE_OPTIONS');

export function resolveKafkaOptions(options: KafkaStorageOptions): ResolvedKafkaOptions {
  const parsed = kafkaStorageOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new Error(`invalid Kafka storage options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
