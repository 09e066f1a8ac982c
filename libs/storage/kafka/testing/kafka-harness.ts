import type { HarnessFactory } from '@lemo/domain/testing';
import { loadConfig } from '@lemo/platform-config';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { KafkaEventBus } from '../src/kafka-event-bus.adapter';
import type { KafkaStorageOptions } from '../src/kafka-storage.options';

/**
 * The dev stack's broker. A suite without it fails (never skips) with what to
 * do. Same contract as `requireBackend('kafka')` of @lemo/testing, read
 * through platform-config because an adapter lib may not depend on the
 * testing lib (tags), which itself depends on the adapters through runtime.
 */
export function kafkaBrokers(): string[] {
  const kafka = loadConfig().backends.kafka;
  if (!kafka) throw new Error('kafka is not configured: start the dev stack (node tools/dev-stack/stack.mjs up --only kafka) or set KAFKA_BOOTSTRAP_SERVERS');
  return kafka.brokers;
}

/** A name unique to one test run: suites sharing the broker never see each other's topics or groups. */
export const uniqueName = (prefix: string): string => `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

/** Options for a bus on the real broker, isolated in its own namespace, with test-speed timings. */
export function isolatedOptions(overrides: Partial<KafkaStorageOptions> = {}): KafkaStorageOptions {
  return {
    brokers: kafkaBrokers(),
    clientId: uniqueName('kafka-spec'),
    outboxPath: ':memory:',
    namespace: `${uniqueName('spec')}.`,
    topicRefreshIntervalMs: 100,
    fetchMaxWaitMs: 100,
    handlerRetryDelayMs: 200,
    relayRetryInitialMs: 50,
    relayRetryMaxMs: 500,
    shutdownFlushTimeoutMs: 5000,
    ...overrides,
  };
}

/** A plain admin client for looking at what the adapter did. */
export async function inspectorAdmin(): Promise<Admin> {
  const admin = new Kafka({ clientId: uniqueName('kafka-inspector'), brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  return admin;
}

/** Deletes the topics and consumer groups of a namespace (best effort: the broker's retention is the backstop). */
export async function wipeNamespace(namespace: string): Promise<void> {
  const admin = await inspectorAdmin();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(namespace));
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((groupId) => groupId.startsWith(namespace));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
    if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

/** Closes a bus, then removes everything it created on the broker. */
export async function closeAndWipe(bus: KafkaEventBus, namespace: string): Promise<void> {
  await bus.close();
  await wipeNamespace(namespace);
}

/** A fresh bus per test, in a namespace of its own, wiped afterwards. */
export const isolatedBusHarness =
  (overrides: Partial<KafkaStorageOptions> = {}): HarnessFactory<KafkaEventBus> =>
  async () => {
    const options = isolatedOptions(overrides);
    const bus = KafkaEventBus.open(options);
    return { port: bus, close: () => closeAndWipe(bus, options.namespace ?? '') };
  };
