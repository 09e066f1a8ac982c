import { Logger } from '@nestjs/common';
import type { BusHandler, Subscription } from '@lemo/domain';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BusLog } from './bus-log';
import { messageOf } from '../error-message';

/** Reports how many messages of a topic the group has yet to handle. */
export type LagReport = (groupId: string, topic: string, lag: number) => void;

export interface DeliveryOptions {
  batchSize: number;
  /** Wait before redelivering a batch whose handler threw. */
  retryDelayMs: number;
}

/**
 * One consumer-group member. Each matching topic is drained by at most one loop
 * at a time (per process, across every subscription of the group, via `claims`),
 * in offset order; the group offset is committed only after the handler resolved,
 * so a crash or a throw means redelivery, never loss.
 */
export class BusSubscription implements Subscription {
  private readonly logger = new Logger('EmbeddedEventBus');
  private readonly pattern: RegExp;
  private readonly draining = new Set<string>();
  /** Topics woken while their loop was finishing: run once more so no wake-up is lost. */
  private readonly rewake = new Set<string>();
  private readonly loops = new Set<Promise<void>>();
  private readonly stop = new AbortController();

  constructor(
    topicPattern: RegExp,
    readonly groupId: string,
    private readonly handler: BusHandler,
    private readonly log: BusLog,
    private readonly claims: Set<string>,
    private readonly options: DeliveryOptions,
    private readonly onClose: () => void,
    private readonly reportLag: LagReport = () => undefined,
  ) {
    // A global or sticky RegExp keeps lastIndex between test() calls and would skip topics.
    this.pattern = new RegExp(topicPattern.source, topicPattern.flags.replace(/[gy]/g, ''));
  }

  get closed(): boolean {
    return this.stop.signal.aborted;
  }

  wake(topics: Iterable<string>): void {
    if (this.closed) return;
    for (const topic of topics) {
      if (this.pattern.test(topic)) this.start(topic);
    }
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.stop.abort();
      this.onClose();
    }
    await Promise.allSettled([...this.loops]);
  }

  private start(topic: string): void {
    if (this.draining.has(topic)) {
      this.rewake.add(topic);
      return;
    }
    const claim = `${this.groupId}\u0000${topic}`;
    // Another subscription of this group is draining the topic and will read to its end.
    if (this.claims.has(claim)) return;
    this.claims.add(claim);
    this.draining.add(topic);
    const loop = this.drain(topic).finally(() => {
      this.claims.delete(claim);
      this.draining.delete(topic);
      this.loops.delete(loop);
      if (this.rewake.delete(topic)) this.wake([topic]);
    });
    this.loops.add(loop);
  }

  private async drain(topic: string): Promise<void> {
    while (!this.closed) {
      try {
        const from = this.log.committed(this.groupId, topic);
        const end = this.log.endOffset(topic);
        this.reportLag(this.groupId, topic, end - from);
        const batch = this.log.read(topic, from, this.options.batchSize);
        if (batch.length === 0) return;
        await this.handler(batch.map((entry) => entry.message));
        const next = batch[batch.length - 1].offset + 1;
        this.log.commit(this.groupId, topic, next);
        this.reportLag(this.groupId, topic, end - next);
      } catch (error) {
        if (this.closed) return;
        this.logger.warn(`group '${this.groupId}' failed on topic '${topic}', retrying in ${this.options.retryDelayMs} ms: ${messageOf(error)}`);
        await sleep(this.options.retryDelayMs, undefined, { signal: this.stop.signal }).catch(() => undefined);
      }
    }
  }
}
