import { Logger } from '@nestjs/common';
import { eventBusContract, healthIndicatorContract } from '@lemo/domain/testing';
import { KafkaHealthIndicator } from './kafka-health.adapter';
import { isolatedBusHarness } from '../testing/kafka-harness';

beforeAll(() => Logger.overrideLogger(false));

// Six partitions per topic, as deployed (KAFKA_TOPIC_PARTITIONS): the suite's keys land on different
// partitions, so it checks what the port promises (order per key, every message at least once), not the
// total order a single partition would add.
eventBusContract('Kafka', isolatedBusHarness({ partitions: 6 }));

healthIndicatorContract('Kafka', async () => {
  const { port: bus, close } = await isolatedBusHarness()();
  return { port: new KafkaHealthIndicator(bus), close };
});
