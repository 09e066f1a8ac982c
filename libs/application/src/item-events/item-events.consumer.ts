import { hostname } from 'node:os';
import { Inject, Injectable, Optional, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import {
  EventBus,
  IngestionReports,
  deadLetterTopicOf,
  isDomainError,
  resultsTopicOf,
  tenantOfTopic,
  topicPattern,
  type BusMessage,
  type ErrorCode,
  type ItemEvent,
  type ItemEventDeadLetter,
  type ItemEventDeadLetterReason,
  type ItemEventItemResult,
  type ItemEventResult,
  type Subscription,
} from '@lemo/domain';
import { AppConfig } from '@lemo/platform-config';
import { LOGGER, Metrics, currentRequestId, requestIdFrom, runWithRequestContext, type AppLogger } from '@lemo/platform-observability';
import { ItemsUseCase, type BatchItemResult } from '../catalog/items.use-case';
import { ScenarioLookup } from '../scenarios/scenario-lookup';
import { inMessageTerms, itemCount, readItemEvent } from './item-event-message';
import { ItemEventsMetrics, type ItemEventOutcome } from './item-events-metrics';
import { IngestionReporter } from './ingestion-reporter';
import { REQUEST_ID_HEADER, requestIdHeader } from '../shared/request-trace';

/** One consumer group: every consumer process shares the partitions, and each message is applied once per group. */
export const ITEM_EVENTS_CONSUMER_GROUP = 'item-events-consumer';

/**
 * Domain errors that say the message itself is wrong: retrying cannot help,
 * so it goes to the dead-letter topic. Every other failure (the document
 * store or the queue unreachable, a storage conflict, a bug) rejects the
 * batch, which the bus delivers again: nothing is committed before it is written.
 */
const REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'FAILED_PRECONDITION',
  'QUOTA_EXCEEDED',
  'INVALID_SCENARIO_CONFIG',
  'PERMISSION_DENIED',
  'UNAUTHENTICATED',
]);

/** A dead letter keeps the original value up to this size (JSON characters); a bigger one keeps its beginning. */
const MAX_ORIGINAL_CHARS = 256 * 1024;
/** Header values stay short: the full error is in the envelope. */
const MAX_HEADER_CHARS = 1000;

type Outgoing = Omit<BusMessage, 'headers'> & { headers: Record<string, string> };

/** What one bus batch did, applied to the metrics only once the batch succeeded (a redelivered batch counts once). */
interface Tally {
  consumed: Array<{ tenant: string; outcome: ItemEventOutcome }>;
  written: Array<{ tenant: string; operation: string; items: number }>;
  deadLetters: Array<{ tenant: string; reason: ItemEventDeadLetterReason; topic: string; key: string; error: string; requestId: string }>;
  messageItems: number[];
}

interface Outcome {
  results: ItemEventItemResult[];
  /** Items created, updated or deleted. */
  written: number;
}

/**
 * The consumer app's work: item events from `item-events-{tenant_id}` (every
 * tenant's topic, including topics created after the start) applied through
 * the same ItemsUseCase as the REST item API, so a written item gets its
 * `item_vectors` job exactly as a REST write does.
 *
 * A bus batch is handled message by message, in order (per key, as the bus
 * delivers it). A message that cannot be applied goes to the tenant's
 * dead-letter topic with its reason, and the batch goes on: it is never
 * retried. A write that fails for another reason (the store is down) rejects
 * the whole batch, which the bus delivers again after a backoff; the writes
 * are upserts, so re-applying the messages before it changes nothing.
 * Dead letters and results are published only once the whole batch was
 * written, so a redelivered batch does not dead-letter its messages twice.
 */
@Injectable()
export class ItemEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly metrics: ItemEventsMetrics;
  /** Per-tenant throughput reports to the document store (ITEM_EVENTS_REPORT_INTERVAL_MS), counted like the metrics. */
  private readonly reporter: IngestionReporter;
  /** Pending until the consumer joined; the process never waits for it to answer health checks. */
  private subscription: Promise<Subscription | null> = Promise.resolve(null);

  constructor(
    private readonly bus: EventBus,
    private readonly items: ItemsUseCase,
    private readonly scenarios: ScenarioLookup,
    private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: AppLogger,
    reports: IngestionReports,
    @Optional() metrics?: Metrics,
  ) {
    this.metrics = new ItemEventsMetrics(metrics?.registry);
    this.reporter = new IngestionReporter(reports, 'item-events', `${hostname()}:${process.pid}`, logger);
  }

  onApplicationBootstrap(): void {
    this.reporter.start(this.config.background.itemEvents.reportIntervalMs);
    this.subscription = this.bus
      .subscribe(topicPattern(this.config.topics.items), ITEM_EVENTS_CONSUMER_GROUP, (messages) => this.handle(messages))
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'the item-events consumer could not subscribe: item events are not applied');
        return null;
      });
  }

  /**
   * Stops consuming before any adapter closes (those close in onApplicationShutdown): the batch in flight
   * finishes its writes and enqueues and is committed, instead of failing on a closed job queue.
   * Then the last ingestion reports are written, while the document store is still open.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const subscription = await this.subscription;
    await subscription?.close();
    await this.reporter.stop();
  }

  /** Applies one bus batch; rejects (for redelivery) only when a write failed for a reason other than the message. */
  async handle(messages: BusMessage[]): Promise<void> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    const tally: Tally = { consumed: [], written: [], deadLetters: [], messageItems: [] };
    const outgoing: Outgoing[] = [];
    try {
      for (const message of messages) {
        await runWithRequestContext({ requestId: requestIdFrom(requestIdHeader(message.headers)) }, () =>
          this.apply(message, tally, outgoing),
        );
      }
      await this.bus.publish(outgoing);
    } catch (error) {
      this.metrics.handlerDuration.observe({ outcome: 'failed' }, seconds());
      for (const tenant of new Set(messages.map((m) => tenantOfTopic(this.config.topics.items, m.topic)))) {
        if (tenant !== null) this.reporter.add(tenant, { failed_batches: 1 });
      }
      this.logger.warn({ err: error, messages: messages.length, topic: messages[0]?.topic }, 'item events not written: the batch will be delivered again');
      throw error;
    }
    this.metrics.handlerDuration.observe({ outcome: 'ok' }, seconds());
    this.metrics.batchMessages.observe(messages.length);
    for (const { tenant, outcome } of tally.consumed) this.metrics.consumed.inc({ tenant, outcome });
    for (const { tenant, operation, items } of tally.written) this.metrics.itemsWritten.inc({ tenant, operation }, items);
    for (const { tenant, reason, topic, key, error, requestId } of tally.deadLetters) {
      this.metrics.deadLetters.inc({ tenant, reason });
      // Logged once published (not at each delivery of a batch that failed later), under the message's request id.
      runWithRequestContext({ requestId }, () => this.logger.warn({ tenant, topic, key, reason, error }, 'item event dead-lettered'));
    }
    for (const items of tally.messageItems) this.metrics.messageItems.observe(items);
    for (const { tenant } of tally.consumed) this.reporter.add(tenant, { messages: 1 });
    for (const { tenant, items } of tally.written) this.reporter.add(tenant, { items });
    for (const { tenant } of tally.deadLetters) this.reporter.add(tenant, { dead_letters: 1 });
    this.logger.debug({ messages: messages.length, dead_letters: tally.deadLetters.length, seconds: seconds() }, 'item events applied');
  }

  private async apply(message: BusMessage, tally: Tally, outgoing: Outgoing[]): Promise<void> {
    const tenantId = tenantOfTopic(this.config.topics.items, message.topic);
    if (tenantId === null) {
      // The subscription's own pattern matched it, so this cannot happen; skipping is safer than retrying forever.
      this.logger.error({ topic: message.topic }, 'item event on a topic that names no tenant: skipped');
      return;
    }
    const deadLetter = (reason: ItemEventDeadLetterReason, error: string, original: unknown = message.value, failed?: ItemEventItemResult[]) => {
      const letter: ItemEventDeadLetter = {
        reason,
        error,
        ...(failed && { failed_items: failed }),
        source: { topic: message.topic, key: message.key, headers: message.headers },
        original: boundedOriginal(original),
        dead_lettered_at: new Date().toISOString(),
      };
      outgoing.push({
        topic: deadLetterTopicOf(message.topic),
        key: message.key,
        value: letter,
        headers: { ...message.headers, dlq_reason: reason, dlq_error: error.slice(0, MAX_HEADER_CHARS), dlq_source_topic: message.topic },
      });
      tally.deadLetters.push({ tenant: tenantId, reason, topic: message.topic, key: message.key, error, requestId: currentRequestId() ?? '' });
    };
    const refuse = (reason: ItemEventDeadLetterReason, error: string, event: ItemEvent | null, total: number) => {
      deadLetter(reason, error);
      tally.consumed.push({ tenant: tenantId, outcome: 'dead_lettered' });
      this.result(outgoing, message, event, { total, succeeded: 0, failed: total, failures: [], deleted: undefined, reason });
    };

    const read = readItemEvent(message.value, tenantId);
    if (!read.ok) return refuse(read.reason, read.error, null, 0);
    const event = read.event;
    const total = itemCount(event);
    tally.messageItems.push(total);
    if (!(await this.scenarios.find(tenantId, event.scenario_id))) {
      return refuse('scenario_not_found', `scenario_id: scenario '${event.scenario_id}' not found`, event, total);
    }
    let outcome: Outcome;
    try {
      outcome = await this.write(tenantId, event);
    } catch (error) {
      if (!isDomainError(error) || !REFUSALS.has(error.code)) throw error;
      const reason = error.code === 'NOT_FOUND' ? 'scenario_not_found' : 'rejected';
      return refuse(reason, error.message, event, total);
    }
    const failed = outcome.results.filter((result) => result.status === 'failed');
    tally.written.push({ tenant: tenantId, operation: event.operation, items: outcome.written });
    tally.consumed.push({ tenant: tenantId, outcome: failed.length ? 'partial' : 'applied' });
    if (failed.length) {
      const original =
        event.operation !== 'delete' && !event.single ? { ...(message.value as object), items: failed.map((f) => event.items[f.index]) } : message.value;
      deadLetter('items_failed', failed.map((f) => f.error).join('; '), original, failed);
    }
    this.result(outgoing, message, event, {
      total,
      succeeded: total - failed.length,
      failed: failed.length,
      failures: failed,
      deleted: event.operation === 'delete' ? outcome.written : undefined,
      reason: failed.length ? 'items_failed' : null,
    });
  }

  private async write(tenantId: string, event: ItemEvent): Promise<Outcome> {
    const inTerms = (results: BatchItemResult[]): ItemEventItemResult[] =>
      results.map((result) => (result.error === undefined ? result : { ...result, error: inMessageTerms(result.error, event.single) }));
    switch (event.operation) {
      case 'create': {
        const results = inTerms(await this.items.batchUpsert(tenantId, event.scenario_id, event.items));
        return { results, written: results.filter((result) => result.status !== 'failed').length };
      }
      case 'update': {
        const results = inTerms(await this.items.batchUpdate(tenantId, event.scenario_id, event.items, event.mode));
        return { results, written: results.filter((result) => result.status !== 'failed').length };
      }
      case 'delete': {
        // Deleting what is already gone is no failure: a redelivered delete must not dead-letter itself.
        const written = event.hard
          ? await this.items.hardDelete(tenantId, event.scenario_id, event.item_ids)
          : await this.items.softDeleteMany(tenantId, event.scenario_id, event.item_ids);
        return { results: [], written };
      }
    }
  }

  /** The optional per-message result (ITEM_EVENTS_PUBLISH_RESULTS), to `<topic>.results`. */
  private result(
    outgoing: Outgoing[],
    message: BusMessage,
    event: ItemEvent | null,
    counts: {
      total: number;
      succeeded: number;
      failed: number;
      failures: ItemEventItemResult[];
      deleted: number | undefined;
      reason: ItemEventDeadLetterReason | null;
    },
  ): void {
    if (!this.config.background.itemEvents.publishResults) return;
    const value: ItemEventResult = {
      event_id: event?.event_id ?? null,
      scenario_id: event?.scenario_id ?? null,
      operation: event?.operation ?? null,
      total: counts.total,
      succeeded: counts.succeeded,
      failed: counts.failed,
      ...(counts.deleted !== undefined && { deleted: counts.deleted }),
      failures: counts.failures,
      dead_letter_reason: counts.reason,
      processed_at: new Date().toISOString(),
    };
    const requestId = requestIdHeader(message.headers);
    outgoing.push({ topic: resultsTopicOf(message.topic), key: message.key, value, headers: requestId ? { [REQUEST_ID_HEADER]: requestId } : {} });
  }
}

/** The original value, or its beginning when it is too big to travel inside a dead letter. */
function boundedOriginal(original: unknown): unknown {
  const text = typeof original === 'string' ? original : JSON.stringify(original);
  if (text === undefined || text.length <= MAX_ORIGINAL_CHARS) return original;
  return { truncated: true, chars: text.length, beginning: text.slice(0, MAX_ORIGINAL_CHARS) };
}
