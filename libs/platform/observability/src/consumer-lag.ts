import { Gauge, type Registry } from 'prom-client';

/** How far one consumer group is behind on one topic partition. */
export interface ConsumerLagSample {
  group: string;
  /** The topic as callers name it (without the bus's namespace prefix). */
  topic: string;
  partition: number;
  /** Messages published but not yet handled and committed by the group (high watermark − committed offset). */
  lag: number;
}

export const CONSUMER_LAG_METRIC = 'lemo_bus_consumer_lag';

/**
 * The lags one consumer knows of, one per (group, topic, partition), set as
 * its batches are handled. Partitions it no longer consumes are dropped, so a
 * scrape never shows another member's partition with a stale value.
 */
export class ConsumerLag {
  private readonly samples = new Map<string, ConsumerLagSample>();

  set(sample: ConsumerLagSample): void {
    this.samples.set(ConsumerLag.key(sample), { ...sample, lag: Math.max(0, sample.lag) });
  }

  /** Keeps only the samples `keep` accepts (e.g. the partitions of a new assignment). */
  retain(keep: (sample: ConsumerLagSample) => boolean): void {
    for (const [key, sample] of this.samples) if (!keep(sample)) this.samples.delete(key);
  }

  clear(): void {
    this.samples.clear();
  }

  values(): ConsumerLagSample[] {
    return [...this.samples.values()];
  }

  private static key({ group, topic, partition }: Pick<ConsumerLagSample, 'group' | 'topic' | 'partition'>): string {
    return `${group}\u0000${topic}\u0000${partition}`;
  }
}

/**
 * Registers the gauge `lemo_bus_consumer_lag{group,topic,partition}` on the
 * registry, filled from `read` at each scrape (series of partitions no longer
 * read disappear). Labels are bounded by the deployment: a few groups × the
 * tenants' topics × their partitions, never per message. Returns false when
 * the registry has it already (one event bus per process).
 */
export function registerConsumerLagMetric(registry: Registry, read: () => Iterable<ConsumerLagSample>): boolean {
  if (registry.getSingleMetric(CONSUMER_LAG_METRIC)) return false;
  new Gauge({
    name: CONSUMER_LAG_METRIC,
    help: 'Messages a consumer group has yet to handle on a topic partition (high watermark minus committed offset), as of its last batch',
    labelNames: ['group', 'topic', 'partition'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { group, topic, partition, lag } of read()) this.set({ group, topic, partition: String(partition) }, lag);
    },
  });
  return true;
}
