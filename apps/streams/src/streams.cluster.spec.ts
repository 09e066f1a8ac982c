import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { AnalyticsStore, EventBus, topicFor, type BehaviorEvent } from '@lemo/domain';
import { processEnvironment } from '@lemo/platform-config';
import { createClickHouseClient } from '@lemo/storage-clickhouse';
import { KafkaEventBus } from '@lemo/storage-kafka';
import { createTestApp, eventually, freePort, requireBackend, uniqueName, type TestApp } from '@lemo/testing';

/**
 * The ClickHouse sink as it runs in production: streams app processes
 * (real OS processes started from the TypeScript sources) on the real Kafka
 * and ClickHouse of the dev stack. Events are counted exactly once after a
 * normal run, after a process is killed (SIGKILL) holding an uninserted batch
 * and another takes over, and after the consumer group's offsets are reset
 * to the beginning of the topic so every event is delivered again.
 */
const WORKSPACE = join(__dirname, '../../..');
// The beat app's loader: compiles the sources with SWC on require, so no dist/ build is needed.
const LOADER = join(WORKSPACE, 'apps/beat/testing/typescript-source-loader.cjs');
const MAIN = join(__dirname, 'main.ts');
const TENANT = 'acme';
const FIRST = 3000;
const HELD = 700;

interface StreamsProcess {
  child: ChildProcess;
  port: number;
  output: string[];
  exited: Promise<number | null>;
}


function behaviorEvents(from: number, count: number): BehaviorEvent[] {
  const at = Date.now();
  const actions = ['impression', 'impression', 'click', 'purchase'] as const;
  return Array.from({ length: count }, (_, i) => ({
    tenant_id: TENANT,
    event_id: `ev-${from + i}`,
    scenario_id: 'feed',
    user_id: `u${(from + i) % 97}`,
    item_id: `i${(from + i) % 31}`,
    action_type: actions[(from + i) % actions.length],
    timestamp: at - ((from + i) % 600) * 1000,
    received_at: at,
  }));
}

describe('streams app: ClickHouse sink on Kafka (cluster profile)', () => {
  const namespace = uniqueName('streams');
  const database = uniqueName('lemo_streams');
  const env = {
    ...processEnvironment(),
    PROFILE: 'cluster',
    ADMIN_API_KEY: 'streams-test-admin-key-0123456789',
    // The sink needs Kafka, ClickHouse and Redis (job control); embedded documents and vectors leave nothing behind elsewhere.
    DOCUMENT_STORE_DRIVER: 'embedded',
    VECTOR_INDEX_DRIVER: 'embedded',
    DATA_DIR: ':memory:',
    LOG_LEVEL: 'warn',
    STORAGE_NAMESPACE: namespace,
    CLICKHOUSE_DATABASE: database,
  };
  let setup: TestApp;
  const processes: StreamsProcess[] = [];
  const clickhouse = requireBackend('clickhouse');
  const client = createClickHouseClient(clickhouse);
  const kafka = new Kafka({ clientId: uniqueName('streams-spec'), brokers: requireBackend('kafka').brokers, logLevel: logLevel.NOTHING });

  const startStreams = async (batching: Record<string, string>): Promise<StreamsProcess> => {
    const port = await freePort();
    const child = spawn(process.execPath, ['-r', LOADER, MAIN], { cwd: WORKSPACE, env: { ...env, ...batching, HEALTH_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
    const started = { child, port, output, exited };
    processes.push(started);
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`streams exited early:\n${output.join('')}`);
        return (await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => null))?.ok === true;
      },
      60_000,
      200,
    );
    return started;
  };

  /** A sample of the sink's metric in the process's /metrics. */
  const metric = async (streams: StreamsProcess, name: string): Promise<number> => {
    const text = await (await fetch(`http://127.0.0.1:${streams.port}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes('job="analytics-sink"'));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  const scalar = async (query: string): Promise<number> => {
    const result = await client.query({ query, format: 'JSONEachRow' });
    const [row] = (await result.json()) as Array<{ n: string | number }>;
    return Number(row.n);
  };
  /** Distinct events (what every query counts), raw rows (no FINAL: a duplicate insert would show), and the hourly rollup's events. */
  const counts = async () => ({
    distinct: await setup.app.get(AnalyticsStore).count(TENANT),
    rows: await scalar(`SELECT count() AS n FROM \`${database}\`.user_behaviors WHERE tenant_id = '${TENANT}'`),
    rollup: await scalar(`SELECT sum(events) AS n FROM \`${database}\`.hourly_action_metrics WHERE tenant_id = '${TENANT}'`),
  });
  const exactly = (n: number) => ({ distinct: n, rows: n, rollup: n });

  const stop = async (streams: StreamsProcess, signal: NodeJS.Signals) => {
    streams.child.kill(signal);
    await streams.exited;
  };

  beforeAll(async () => {
    requireBackend('redis');
    setup = await createTestApp({ modules: [], env });
  });

  afterAll(async () => {
    for (const streams of processes) if (streams.child.exitCode === null && streams.child.signalCode === null) streams.child.kill('SIGKILL');
    await setup?.close();
    await client.command({ query: `DROP DATABASE IF EXISTS \`${database}\`` }).catch(() => undefined);
    await client.close();
    const admin = kafka.admin();
    await admin.connect();
    try {
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((id) => id.startsWith(namespace));
      if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
      const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(namespace));
      if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
    } finally {
      await admin.disconnect();
    }
    const redis = new Redis(requireBackend('redis').url);
    try {
      for await (const keys of redis.scanStream({ match: `${namespace}*`, count: 1000 })) if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
    } finally {
      redis.disconnect();
    }
  });

  /** Publishes and waits until Kafka has every event (the bus's outbox is empty). */
  const publish = async (events: BehaviorEvent[]) => {
    await setup.app.get(EventBus).publish(events.map((event) => ({ topic: topicFor(setup.config.topics.behaviors, TENANT), key: event.user_id, value: event })));
    expect(await setup.app.get(KafkaEventBus).flush(60_000)).toBe(true);
  };

  it('counts every published event exactly once, writing a batch as soon as it holds STREAMS_BATCH_MAX_ROWS', async () => {
    await publish(behaviorEvents(0, FIRST));
    const streams = await startStreams({ STREAMS_BATCH_MAX_ROWS: '1000', STREAMS_BATCH_MAX_WAIT_MS: '500' });
    try {
      await eventually(async () => (await counts()).distinct === FIRST, 120_000, 250);
      expect(await counts()).toEqual(exactly(FIRST));
      expect(await metric(streams, 'lemo_stream_events_handled_total')).toBe(FIRST);
      // A batch is written once it reaches 1,000 rows, and bus deliveries hold at most 1,000 each, so an insert
      // holds fewer than 2,000: at least two inserts for 3,000 events (how many deliveries join one depends on
      // Kafka's fetches: a backlog fetched at once makes fewer, bigger inserts).
      expect(await metric(streams, 'lemo_stream_batch_rows_count')).toBeGreaterThanOrEqual(Math.ceil(FIRST / 2000));
    } finally {
      // Graceful stop: nothing is held, the group's offsets are committed (and the next test's process gets every partition).
      await stop(streams, 'SIGTERM');
    }
  });

  it('loses nothing and duplicates nothing when a process is killed holding an uninserted batch', async () => {
    // A batch that is never due: the process holds every row of its first fetch, uncommitted (kafkajs fetches
    // again only once every batch of a fetch is handled, so the events are in Kafka before it starts).
    await publish(behaviorEvents(FIRST, HELD));
    const doomed = await startStreams({ STREAMS_BATCH_MAX_ROWS: '100000', STREAMS_BATCH_MAX_WAIT_MS: '600000' });
    await eventually(async () => (await metric(doomed, 'lemo_stream_pending_rows')) === HELD, 120_000, 250);
    await stop(doomed, 'SIGKILL');
    expect(await counts()).toEqual(exactly(FIRST));

    // The next process gets the partitions (after the dead member's session times out) from the last commit.
    const next = await startStreams({ STREAMS_BATCH_MAX_ROWS: '1000', STREAMS_BATCH_MAX_WAIT_MS: '200' });
    await eventually(async () => (await counts()).distinct === FIRST + HELD, 180_000, 250);
    expect(await counts()).toEqual(exactly(FIRST + HELD));
    expect(await metric(next, 'lemo_stream_events_handled_total')).toBe(HELD);
    await stop(next, 'SIGTERM');
  });

  it('a replay of the whole topic (group offsets reset to the beginning) changes no count', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      // The group is empty now (its last member left on SIGTERM), as resetting offsets requires.
      await admin.resetOffsets({ groupId: `${namespace}.analytics-ingestion`, topic: `${namespace}.user-behaviors-${TENANT}`, earliest: true });
    } finally {
      await admin.disconnect();
    }
    const replay = await startStreams({ STREAMS_BATCH_MAX_ROWS: '1000', STREAMS_BATCH_MAX_WAIT_MS: '200' });
    await eventually(async () => (await metric(replay, 'lemo_stream_events_handled_total')) === FIRST + HELD, 180_000, 250);
    expect(await counts()).toEqual(exactly(FIRST + HELD));
    await stop(replay, 'SIGTERM');
  });
});
