import type { BeforeApplicationShutdown, OnApplicationShutdown } from '@nestjs/common';
import { QUEUE_NAMES, type QueueName } from '@lemo/domain';
import Bull, { type Queue } from 'bull';
import { queueOptions, resolveOptions, type BullStorageOptions, type ResolvedBullOptions } from './bull-storage.options';
import { BullJobQueue } from './job-queue.adapter';
import { RedisScheduler } from './scheduler.adapter';

/** The scheduler's record of fired ticks, beside the queues: `{prefix}:lemo:schedule-ticks`. */
export const scheduleTicksKey = (prefix: string): string => `${prefix}:lemo:schedule-ticks`;

/**
 * JobQueue and Scheduler on the four Bull queues (three connections each,
 * Bull's own; the scheduler claims ticks over the `default` queue's command
 * connection). The Nest module builds the queues with @nestjs/bull; tests and
 * tools may open one directly.
 */
export class BullStorage implements BeforeApplicationShutdown, OnApplicationShutdown {
  readonly jobQueue: BullJobQueue;
  readonly scheduler: RedisScheduler;
  readonly options: ResolvedBullOptions;
  private closing: Promise<void> | null = null;

  constructor(
    readonly queues: Readonly<Record<QueueName, Queue>>,
    options: BullStorageOptions,
  ) {
    this.options = resolveOptions(options);
    this.jobQueue = new BullJobQueue(queues, this.options);
    this.scheduler = new RedisScheduler(queues.default.client, scheduleTicksKey(this.options.prefix));
  }

  /** Creates the four queues itself, without Nest. */
  static open(options: BullStorageOptions): BullStorage {
    const resolved = resolveOptions(options);
    const queues = Object.fromEntries(QUEUE_NAMES.map((name) => [name, new Bull(name, resolved.redisUrl, queueOptions(resolved))]));
    return new BullStorage(queues as Record<QueueName, Queue>, resolved);
  }

  /** Stops the scheduler, waits for running handlers, then closes the queues and their connections. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.scheduler.close().then(() => this.jobQueue.close());
    return this.closing;
  }

  /**
   * Before any onApplicationShutdown hook: handlers in flight finish while the
   * adapters they use are still open, and before @nestjs/bull closes the queues.
   */
  beforeApplicationShutdown(): Promise<void> {
    return this.close();
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}
