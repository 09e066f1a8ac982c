import { Counter, Histogram, type Registry } from 'prom-client';

/** Outcome of one message: every item applied, some refused (dead-lettered, the others written), or refused as a whole. */
export type ItemEventOutcome = 'applied' | 'partial' | 'dead_lettered';

/**
 * The item-events consumer's Prometheus metrics (`lemo_item_events_*`). Counts
 * are added once a bus batch is done, so a batch redelivered after a failed
 * write is counted once, when it finally succeeds.
 */
export class ItemEventsMetrics {
  readonly consumed: Counter<'tenant' | 'outcome'>;
  readonly itemsWritten: Counter<'tenant' | 'operation'>;
  readonly deadLetters: Counter<'tenant' | 'reason'>;
  readonly batchMessages: Histogram;
  readonly messageItems: Histogram;
  readonly handlerDuration: Histogram<'outcome'>;

  /** No registry: the metrics are kept but not exported (a process without /metrics). */
  constructor(registry?: Registry) {
    const registers = registry ? [registry] : [];
    this.consumed = new Counter({
      name: 'lemo_item_events_consumed_total',
      help: 'Item-event messages consumed, by outcome: applied, partial (some items dead-lettered) or dead_lettered',
      labelNames: ['tenant', 'outcome'],
      registers,
    });
    this.itemsWritten = new Counter({
      name: 'lemo_item_events_items_written_total',
      help: 'Items created, updated or deleted from item events',
      labelNames: ['tenant', 'operation'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'lemo_item_events_dead_letters_total',
      help: 'Item-event messages sent to the dead-letter topic, by reason',
      labelNames: ['tenant', 'reason'],
      registers,
    });
    this.batchMessages = new Histogram({
      name: 'lemo_item_events_batch_messages',
      help: 'Messages per bus batch handed to the item-events consumer',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers,
    });
    this.messageItems = new Histogram({
      name: 'lemo_item_events_message_items',
      help: 'Items per valid item-event message',
      buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers,
    });
    this.handlerDuration = new Histogram({
      name: 'lemo_item_events_handler_duration_seconds',
      help: 'Time to handle one bus batch of item events, by outcome: ok, or failed (the batch is delivered again)',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
  }
}
