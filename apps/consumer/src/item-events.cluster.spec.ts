import { ItemsUseCase, ITEM_EVENTS_CONSUMER_GROUP, ScenariosUseCase, TenantAdminUseCase } from '@lemo/application';
import { createScenarioSchema, createTenantSchema, topicFor, type ItemEventDeadLetter } from '@lemo/domain';
import { Metrics } from '@lemo/platform-observability';
import { requireBackend, startTcpProxy, uniqueName, type TcpProxy } from '@lemo/platform-testing';
import { createTestApp, eventually, type TestApp } from '@lemo/testing';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { ConsumerModule } from './index';

jest.setTimeout(240_000);

/**
 * The consumer app on the cluster profile, against the dev stack's real Kafka
 * and MongoDB. A business system is played by a plain kafkajs producer
 * writing JSON (or anything else) to the tenant's topic. MongoDB sits behind
 * a proxy this suite cuts, to fail the consumer's writes.
 */
describe('consumer: item events on real Kafka and MongoDB (cluster profile)', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  /** Kafka names of this app: every topic and group carries its STORAGE_NAMESPACE. */
  let physical: (name: string) => string;
  const tenantId = 'late';

  const produce = (values: unknown[]) =>
    producer.send({
      topic: physical(topicFor(t.config.topics.items, tenantId)),
      messages: values.map((value, i) => ({
        key: `k${i}`,
        value: typeof value === 'string' ? value : JSON.stringify(value),
        headers: { request_id: `req-${i}` },
      })),
    });

  /** Committed offsets of the consumer group and the end of each partition of the tenant's topic. */
  async function offsets(): Promise<{ committed: number; end: number }> {
    const topic = physical(topicFor(t.config.topics.items, tenantId));
    const [committed] = await admin.fetchOffsets({ groupId: physical(ITEM_EVENTS_CONSUMER_GROUP), topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    return {
      committed: committed.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0),
      end: ends.reduce((sum, p) => sum + Number(p.high), 0),
    };
  }

  /** Every dead letter of the tenant's topic, read back from Kafka by a consumer of its own. */
  async function readDeadLetters(expected: number): Promise<Array<{ headers: Record<string, string>; value: ItemEventDeadLetter }>> {
    const letters: Array<{ headers: Record<string, string>; value: ItemEventDeadLetter }> = [];
    const consumer = kafka.consumer({ groupId: physical(uniqueName('dlq-reader')), maxWaitTimeInMs: 200 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [physical(`${topicFor(t.config.topics.items, tenantId)}.dlq`)], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
          letters.push({ headers, value: JSON.parse(message.value!.toString('utf8')) as ItemEventDeadLetter });
        },
      });
      await eventually(async () => letters.length >= expected, 60_000, 200);
      // A little longer: a duplicate would arrive right behind.
      await new Promise((resolve) => setTimeout(resolve, 2000));
    } finally {
      await consumer.disconnect();
    }
    return letters;
  }

  const failedBatches = async () =>
    (await t.app.get(Metrics).registry.getSingleMetric('lemo_item_events_handler_duration_seconds')!.get()).values.find(
      (v) => (v as { metricName?: string }).metricName?.endsWith('_count') && v.labels.outcome === 'failed',
    )?.value ?? 0;

  beforeAll(async () => {
    const mongodb = requireBackend('mongodb');
    proxy = await startTcpProxy(new URL(mongodb.url).host);
    // The consumer starts before the tenant or its topic exist. Kafka, MongoDB and Bull (Redis) are the real servers;
    // the vector index and analytics stay embedded: this suite is about the bus and the store (and starts faster).
    t = await createTestApp({
      modules: [ConsumerModule],
      env: { MONGODB_URL: proxy.url(mongodb.url), VECTOR_INDEX_DRIVER: 'embedded', ANALYTICS_DRIVER: 'embedded' },
    });
    physical = (name) => `${t.config.storageNamespace}.${name}`;
    kafka = new Kafka({ clientId: uniqueName('business-system'), brokers: requireBackend('kafka').brokers, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
  });

  afterAll(async () => {
    proxy?.restore();
    await producer?.disconnect();
    await t?.close();
    if (admin) {
      const prefix = `${t?.config.storageNamespace}.`;
      const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((groupId) => groupId.startsWith(prefix));
      await admin.deleteGroups(groups).catch(() => undefined);
      await admin.deleteTopics({ topics }).catch(() => undefined);
      await admin.disconnect();
    }
    await proxy?.close();
  });

  it('consumes the topic of a tenant created after it started, and dead-letters a bad message to Kafka with its reason', async () => {
    await t.app.get(TenantAdminUseCase).createTenant(createTenantSchema.parse({ tenant_id: tenantId, name: 'Late' }));
    await t.app.get(ScenariosUseCase).create(tenantId, createScenarioSchema.parse({ scenario_id: 'shop', name: 'Shop', scenario_type: 'ecommerce' }));
    await admin.createTopics({ topics: [{ topic: physical(topicFor(t.config.topics.items, tenantId)), numPartitions: 3 }], waitForLeaders: true });
    await produce([
      {
        operation: 'create',
        scenario_id: 'shop',
        items: [
          { item_id: 'l1', metadata: { title: 'one' } },
          { item_id: 'l2', metadata: { title: 'two' } },
        ],
      },
      'this is not JSON',
      { operation: 'update', scenario_id: 'shop', item: { item_id: 'l1', metadata: { price: -5 } } },
    ]);

    const items = t.app.get(ItemsUseCase);
    // Picked up by the subscription's topic refresh (every 10 s), no restart.
    await eventually(async () => (await items.list(tenantId, 'shop', {}, { page: 1, pageSize: 10 })).total === 2, 90_000, 500);

    const letters = await readDeadLetters(2);
    expect(letters.map((l) => [l.headers.dlq_reason, l.value.reason]).sort()).toEqual([
      ['invalid_message', 'invalid_message'],
      ['items_failed', 'items_failed'],
    ]);
    const notJson = letters.find((l) => l.value.reason === 'invalid_message')!;
    expect(notJson.value).toEqual(
      expect.objectContaining({ original: 'this is not JSON', error: '(message): must be a JSON object, got text that is not JSON' }),
    );
    expect(notJson.headers).toEqual(expect.objectContaining({ request_id: 'req-1', dlq_source_topic: topicFor(t.config.topics.items, tenantId) }));
    const badPrice = letters.find((l) => l.value.reason === 'items_failed')!;
    expect(badPrice.headers.dlq_error).toBe('item.metadata.price: price must be a non-negative number');
    await eventually(
      async () => {
        const { committed, end } = await offsets();
        return committed === end;
      },
      30_000,
      250,
    );
  });

  it('commits offsets only after the write: items produced while MongoDB is unreachable are applied once it is back, exactly once', async () => {
    const before = await offsets();
    const failedBefore = await failedBatches();
    proxy.cut();
    const batch = Array.from({ length: 40 }, (_, i) => ({ item_id: `o${i}`, metadata: { title: `outage item ${i}` } }));
    await produce([
      { operation: 'create', scenario_id: 'shop', items: batch.slice(0, 20) },
      { operation: 'create', scenario_id: 'shop', items: [...batch.slice(20), { item_id: 'bad id!' }] },
    ]);
    // The consumer tried, failed the write, and committed nothing of it.
    await eventually(async () => (await failedBatches()) > failedBefore, 60_000, 250);
    const during = await offsets();
    expect(during.end).toBe(before.end + 2);
    expect(during.committed).toBe(before.committed);

    proxy.restore();
    const items = t.app.get(ItemsUseCase);
    await eventually(async () => (await offsets()).committed === during.end, 120_000, 500);
    const stored = await items.list(tenantId, 'shop', {}, { page: 1, pageSize: 100 });
    expect(stored.total).toBe(2 + 40);
    expect(new Set(stored.items.map((i) => i.item_id)).size).toBe(42);
    // The bad item was dead-lettered once, however often its batch was delivered.
    const letters = await readDeadLetters(3);
    expect(letters.filter((l) => l.value.reason === 'items_failed' && l.value.failed_items?.some((f) => f.item_id === 'bad id!'))).toHaveLength(1);
  });
});
