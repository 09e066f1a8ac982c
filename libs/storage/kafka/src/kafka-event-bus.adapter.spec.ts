import { Logger } from '@nestjs/common';
import type { BusMessage } from '@lemo/domain';
import { eventually } from '@lemo/domain/testing';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KafkaEventBus } from './kafka-event-bus.adapter';
import { KafkaHealthIndicator } from './kafka-health.adapter';
import type { KafkaStorageOptions } from './kafka-storage.options';
import { inspectorAdmin, isolatedOptions, kafkaBrokers, uniqueName, wipeNamespace } from '../testing/kafka-harness';

beforeAll(() => Logger.overrideLogger(false));

/** Nothing listens there: a broker that is down. */
const UNREACHABLE = ['127.0.0.1:1'];

const collect = () => {
  const received: BusMessage[] = [];
  return { received, handler: async (batch: BusMessage[]) => void received.push(...batch) };
};
const numbered = (topic: string, count: number, keys = 3) =>
  Array.from({ length: count }, (_, n) => ({ topic, key: `user-${n % keys}`, value: { n }, headers: { 'x-request-id': `req-${n}`, 'x-event-type': 'click' } }));

/** Reads a topic with a plain kafkajs consumer, as a non-Lemo consumer would. */
async function readRaw(topic: string, count: number): Promise<KafkaMessage[]> {
  const consumer = new Kafka({ clientId: uniqueName('raw'), brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).consumer({ groupId: uniqueName('raw'), maxWaitTimeInMs: 100 });
  const messages: KafkaMessage[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
    await eventually(() => expect(messages).toHaveLength(count), 20_000);
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

describe('KafkaEventBus', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kafka-bus-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  /** Buses of the running test, closed and wiped after it whatever its outcome. */
  const opened: Array<{ bus: KafkaEventBus; namespace: string }> = [];
  const open = (options: KafkaStorageOptions) => {
    const bus = KafkaEventBus.open(options);
    opened.push({ bus, namespace: options.namespace ?? '' });
    return bus;
  };
  afterEach(async () => {
    const buses = opened.splice(0);
    await Promise.all(buses.map(({ bus }) => bus.close()));
    // Once per namespace: two deletions of one topic at a time make the second retry until it gives up.
    for (const namespace of new Set(buses.map((b) => b.namespace))) await wipeNamespace(namespace);
  });

  it('creates a missing topic with the configured partitions (namespaced), keys records and keeps order per key', async () => {
    const options = isolatedOptions({ partitions: 6 });
    const bus = open(options);
    const { received, handler } = collect();
    await bus.subscribe(/^user-behaviors-acme$/, 'streams', handler);
    await bus.publish(numbered('user-behaviors-acme', 60));
    await eventually(() => expect(received).toHaveLength(60), 20_000);

    expect(new Set(received.map((m) => m.topic))).toEqual(new Set(['user-behaviors-acme']));
    for (const key of ['user-0', 'user-1', 'user-2']) {
      const values = received.filter((m) => m.key === key).map((m) => (m.value as { n: number }).n);
      expect(values).toEqual([...values].sort((a, b) => a - b));
      expect(values).toHaveLength(20);
    }
    const admin = await inspectorAdmin();
    try {
      const physical = `${options.namespace}user-behaviors-acme`;
      const { topics } = await admin.fetchTopicMetadata({ topics: [physical] });
      expect(topics[0].partitions).toHaveLength(6);
      const filled = (await admin.fetchTopicOffsets(physical)).filter((p) => Number(p.high) > 0);
      // Three keys: at most three partitions hold records, 60 in all.
      expect(filled.length).toBeLessThanOrEqual(3);
      expect(filled.reduce((sum, p) => sum + Number(p.high), 0)).toBe(60);
    } finally {
      await admin.disconnect();
    }
  });

  it('writes plain Kafka records: key, JSON value, headers and the acceptance time as timestamp', async () => {
    const options = isolatedOptions();
    const bus = open(options);
    const before = Date.now();
    await bus.publish([{ topic: 'item-events-acme', key: 'item-9', value: { op: 'upsert', tags: ['a'] }, headers: { 'x-request-id': 'r1' } }]);
    await expect(bus.flush(20_000)).resolves.toBe(true);
    const [record] = await readRaw(`${options.namespace}item-events-acme`, 1);
    expect(record.key?.toString()).toBe('item-9');
    expect(JSON.parse(record.value!.toString())).toEqual({ op: 'upsert', tags: ['a'] });
    expect(record.headers?.['x-request-id']?.toString()).toBe('r1');
    expect(Number(record.timestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(record.timestamp)).toBeLessThanOrEqual(Date.now());
  });

  it("delivers another producer's records: text values as text, missing keys as ''", async () => {
    const options = isolatedOptions();
    const bus = open(options);
    await bus.publish([{ topic: 'foreign', key: 'k', value: 1 }]);
    await bus.flush(20_000);
    const producer = new Kafka({ clientId: uniqueName('foreign'), brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic: `${options.namespace}foreign`, messages: [{ value: 'not json' }, { key: 'k', value: null }] });
    await producer.disconnect();
    const { received, handler } = collect();
    await bus.subscribe(/^foreign$/, 'g', handler);
    await eventually(() => expect(received).toHaveLength(3), 20_000);
    expect(received.map((m) => [m.key, m.value])).toEqual(expect.arrayContaining([['k', 1], ['', 'not json'], ['k', null]]));
  });

  it('accepts messages while Kafka is unreachable, and says so in its health', async () => {
    const bus = open(isolatedOptions({ brokers: UNREACHABLE, healthTimeoutMs: 500, shutdownFlushTimeoutMs: 100 }));
    const started = Date.now();
    await bus.publish(numbered('user-behaviors-acme', 3));
    // Accepted into the outbox without waiting on the unreachable broker (kafkajs would retry for ~30 s).
    expect(Date.now() - started).toBeLessThan(5000);
    expect(bus.outboxDepth()).toBe(3);
    const [report] = await new KafkaHealthIndicator(bus).check();
    expect(report).toMatchObject({ name: 'kafka', ok: false, detail: expect.stringContaining('outbox depth 3') });
    await bus.close();
  });

  it('delivers at the next start what a stopped process left in its outbox file', async () => {
    const dir = tempDir();
    const namespace = `${uniqueName('spec')}.`;
    const offline = open(isolatedOptions({ brokers: UNREACHABLE, outboxPath: dir, namespace, shutdownFlushTimeoutMs: 100 }));
    await offline.publish(numbered('orders', 5));
    await offline.close();

    const online = open(isolatedOptions({ outboxPath: dir, namespace }));
    expect(online.outboxDepth()).toBe(5);
    await expect(online.flush(20_000)).resolves.toBe(true);
    const { received, handler } = collect();
    await online.subscribe(/^orders$/, 'g', handler);
    await eventually(() => expect(received.map((m) => (m.value as { n: number }).n).sort()).toEqual([0, 1, 2, 3, 4]), 20_000);
  });

  it('flushes what it accepted before closing', async () => {
    const options = isolatedOptions();
    const bus = open(options);
    await bus.publish(numbered('orders', 100));
    await bus.close();
    expect(bus.outboxDepth()).toBe(0);
    const reader = open({ ...options, clientId: uniqueName('reader') });
    const { received, handler } = collect();
    await reader.subscribe(/^orders$/, 'g', handler);
    await eventually(() => expect(received).toHaveLength(100), 20_000);
  });

  it('refuses, before writing anything, a call with a message Kafka would refuse', async () => {
    const bus = open(isolatedOptions({ brokers: UNREACHABLE, maxMessageBytes: 1000, shutdownFlushTimeoutMs: 0 }));
    const ok = { topic: 'orders', key: 'k', value: 1 };
    const refused: Array<Array<{ topic: string; key: string; value: unknown; headers?: Record<string, string> }>> = [
      [ok, { topic: 'bad topic', key: 'k', value: 1 }],
      [ok, { topic: 'orders', key: 'k', value: 10n }],
      [ok, { topic: 'orders', key: 'k', value: 'x'.repeat(1000) }],
      [ok, { topic: 'orders', key: 'k', value: 1, headers: { n: 1 as unknown as string } }],
    ];
    for (const messages of refused) {
      await expect(bus.publish(messages)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ field: expect.stringMatching(/^messages\.1\./) }] });
    }
    expect(bus.outboxDepth()).toBe(0);
    await bus.close();
  });

  it('refuses to publish or subscribe once closed', async () => {
    const options = isolatedOptions();
    const bus = open(options);
    await bus.close();
    await expect(bus.publish([{ topic: 'orders', key: 'k', value: 1 }])).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(bus.subscribe(/orders/, 'g', async () => undefined)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
