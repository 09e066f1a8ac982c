import { Logger } from '@nestjs/common';
import type { BusMessage } from '@lemo/domain';
import { eventually } from '@lemo/domain/testing';
import { CONSUMER_LAG_METRIC, registerConsumerLagMetric } from '@lemo/platform-observability';
import { Registry } from 'prom-client';
import { KafkaEventBus } from './kafka-event-bus.adapter';
import { isolatedOptions, wipeNamespace } from '../testing/kafka-harness';

beforeAll(() => Logger.overrideLogger(false));

/**
 * `lemo_bus_consumer_lag` on the real broker: a group whose handler is held
 * shows the messages it has not committed (from the fetch's high watermark),
 * and 0 once it caught up.
 */
describe('KafkaEventBus: consumer lag', () => {
  // One partition: every message is in the one partition whose lag is read.
  const options = isolatedOptions({ partitions: 1 });
  const bus = KafkaEventBus.open(options);
  const registry = new Registry();
  registerConsumerLagMetric(registry, () => bus.consumerLag());

  afterAll(async () => {
    await bus.close();
    await wipeNamespace(options.namespace ?? '');
  });

  /** The gauge's value for the group's partition 0 of `lagging`, as a scrape reads it (undefined: no series). */
  const scrapedLag = async (group: string): Promise<number | undefined> => {
    const line = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${CONSUMER_LAG_METRIC}{group="${group}",topic="lagging",partition="0"}`));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };

  it('counts the uncommitted messages while the handler is held, and drops to 0 once they are handled', async () => {
    const N = 40;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const batches: number[][] = [];
    await bus.subscribe<{ n: number }>(/^lagging$/, 'lag-group', async (messages: Array<BusMessage<{ n: number }>>) => {
      batches.push(messages.map((message) => message.value.n));
      await held;
    });
    await bus.publish(Array.from({ length: N }, (_, n) => ({ topic: 'lagging', key: `k${n}`, value: { n } })));

    await eventually(() => expect(batches.length).toBe(1), 30_000, 100);
    // Nothing committed yet: at least the batch in the handler is behind (all N, when one fetch got them all).
    const whileHeld = await scrapedLag('lag-group');
    expect(whileHeld).toBeGreaterThanOrEqual(batches[0].length);
    expect(whileHeld).toBeLessThanOrEqual(N);

    release();
    await eventually(async () => expect(await scrapedLag('lag-group')).toBe(0), 30_000, 100);
    expect(batches.flat()).toEqual(Array.from({ length: N }, (_, n) => n));
    process.stdout.write(`consumer lag: ${whileHeld} while the first batch (${batches[0].length} of ${N} messages) was held, 0 once handled\n`);
  });
});
