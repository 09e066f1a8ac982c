import { Logger } from '@nestjs/common';
import type { BusMessage } from '@lemo/domain';
import { eventually } from '@lemo/domain/testing';
import { KafkaEventBus } from './kafka-event-bus.adapter';
import { inspectorAdmin, isolatedOptions, wipeNamespace } from '../testing/kafka-harness';

beforeAll(() => Logger.overrideLogger(false));

/**
 * A handler slower than the group's session timeout (a document store
 * answering slowly, e.g. the consumer app's writes under load): kafkajs
 * heartbeats only between batches, so without heartbeats while the handler
 * runs the member is dropped from the group, its commit refused, and the
 * batch handed out again, where it can be just as slow: forever.
 */
describe('KafkaEventBus: a handler slower than the session timeout', () => {
  const options = isolatedOptions({ sessionTimeoutMs: 6000 });
  const bus = KafkaEventBus.open(options);

  afterAll(async () => {
    await bus.close();
    await wipeNamespace(options.namespace ?? '');
  });

  it('keeps its partitions while the handler works: the batch is handled once and committed', async () => {
    const deliveries: number[][] = [];
    let first = true;
    await bus.subscribe<{ n: number }>(/^slow$/, 'slow-group', async (messages: Array<BusMessage<{ n: number }>>) => {
      deliveries.push(messages.map((message) => message.value.n));
      if (first) {
        first = false;
        // More than twice the session timeout.
        await new Promise((resolve) => setTimeout(resolve, 15_000));
      }
    });
    await bus.publish([0, 1, 2].map((n) => ({ topic: 'slow', key: 'k', value: { n } })));

    const admin = await inspectorAdmin();
    try {
      const committed = async () =>
        (await admin.fetchOffsets({ groupId: `${options.namespace}slow-group`, topics: [`${options.namespace}slow`] }))[0].partitions.reduce(
          (sum, p) => sum + Math.max(0, Number(p.offset)),
          0,
        );
      await eventually(async () => expect(await committed()).toBe(3), 60_000, 250);
    } finally {
      await admin.disconnect();
    }
    expect(deliveries.flat()).toEqual([0, 1, 2]);
  });
});
