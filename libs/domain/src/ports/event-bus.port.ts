export interface BusMessage<T = unknown> {
  topic: string;
  /** Partitioning key: messages with one key are delivered in order (user id for behaviours, item id for items). */
  key: string;
  value: T;
  /** Headers travel with the message (request id, event type). */
  headers: Record<string, string>;
}

export interface Subscription {
  close(): Promise<void>;
}

export type BusHandler<T = unknown> = (messages: BusMessage<T>[]) => Promise<void>;

/** How a subscription is fed; every field is a hint an adapter may ignore where it does not apply. */
export interface SubscribeOptions {
  /**
   * Batches handed to the handler at once, each of another partition (Kafka;
   * default 1). A handler that holds its batch until others join (a batching
   * sink) needs more than one, or it waits alone.
   */
  concurrency?: number;
  /** Most messages in one batch where the bus decides (embedded; Kafka's batches are bounded by bytes). */
  maxBatchMessages?: number;
}

/**
 * Topics: `user-behaviors-{tenant_id}`, `item-events-{tenant_id}` (see topic-names).
 * `publish` resolves once the messages are durable; a consumer group sees each
 * message at least once and commits only after its handler resolved.
 */
export abstract class EventBus {
  abstract publish<T>(messages: Array<Omit<BusMessage<T>, 'headers'> & { headers?: Record<string, string> }>): Promise<void>;
  /** `topicPattern` matches topics created later too, so new tenants need no restart. */
  abstract subscribe<T>(topicPattern: RegExp, groupId: string, handler: BusHandler<T>, options?: SubscribeOptions): Promise<Subscription>;
}
