import { Logger } from '@nestjs/common';
import { eventBusContract, healthIndicatorContract } from '@lemo/domain/testing';
import { KafkaHealthIndicator } from './kafka-health.adapter';
import { isolatedBusHarness } from '../testing/kafka-harness';

beforeAll(() => Logger.overrideLogger(false));

// One partition per topic: the suite expects publish order across keys within a topic, and three keys'
// messages in one handler call, which Kafka gives only within a partition. The port promises order per key;
// kafka-event-bus.adapter.spec.ts checks that (and the spread by key) on the default 6 partitions.
eventBusContract('Kafka', isolatedBusHarness({ partitions: 1 }));

healthIndicatorContract('Kafka', async () => {
  const { port: bus, close } = await isolatedBusHarness()();
  return { port: new KafkaHealthIndicator(bus), close };
});
