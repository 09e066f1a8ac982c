#!/usr/bin/env node
// Throughput of the streams app's ClickHouse sink on the cluster profile: behaviour events from real
// Kafka into the real ClickHouse. Not a test: it reports events/s. It needs the dev stack (endpoints
// from .stack/env, `npm run stack:up`) and the dist/ build (`node tools/build/build.mjs apps/streams`).
//
// 1. Publishes N stored behaviour events (the JSON the API publishes: key = user id) for a fresh tenant
//    to its `user-behaviors-{tenant_id}` topic (--partitions partitions) with a plain kafkajs producer
//    (acks from all replicas), before the app starts: the sink then works through a backlog.
// 2. Starts the built streams app (dist/apps/streams/src/main.js, PROFILE=cluster: Kafka, ClickHouse,
//    Redis; documents and vectors embedded: the sink needs neither) with the default batching
//    (STREAMS_BATCH_MAX_ROWS 1000, STREAMS_BATCH_MAX_WAIT_MS 5000) unless --max-rows / --max-wait-ms.
//    Both of its jobs run, as in production: the ClickHouse sink and the real-time metrics on Redis.
// 3. Polls the tenant's raw row count in ClickHouse every second until all N are there, then checks the
//    distinct count (`FINAL`, as every query counts) is N too and no row more came: nothing twice.
// Events/s = N / (time the last event was counted − time the first was), so the process start and
// the first fetch are not counted; from the start is printed too.
// Everything runs in a STORAGE_NAMESPACE and ClickHouse database of its own, removed at the end.
//
// Usage:
//   node tools/build/build.mjs apps/streams   # once
//   node tools/bench/streams.mjs [--events 200000] [--partitions 6] [--max-rows 1000] [--max-wait-ms 5000] [--json]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort, sleep, stackEnv } from './stack-env.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'package.json'));

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    partitions: { type: 'string', default: '6' },
    'max-rows': { type: 'string', default: '1000' },
    'max-wait-ms': { type: 'string', default: '5000' },
    /** Give up when the sink has not stored every event after this long. */
    timeout: { type: 'string', default: '900' },
    json: { type: 'boolean', default: false },
  },
});
const N = Number(args.events);
const PARTITIONS = Number(args.partitions);
const log = (message) => process.stderr.write(`[bench:streams] ${message}\n`);

const ACTIONS = ['impression', 'impression', 'impression', 'impression', 'click', 'view', 'like', 'add_cart', 'purchase'];

/** A stored behaviour event as TrackBehaviorsUseCase publishes it. */
function behaviorEvent(n, tenantId, at) {
  return {
    scenario_id: 'shop',
    user_id: `user_${n % 5000}`,
    item_id: `item_${(n * 7919) % 20000}`,
    action_type: ACTIONS[n % ACTIONS.length],
    context: { device_type: n % 3 === 0 ? 'mobile' : 'pc' },
    experiment_id: 'exp_bench',
    experiment_group: n % 2 === 0 ? 'control' : 'treatment',
    position: n % 20,
    tenant_id: tenantId,
    event_id: `ev_${n}`,
    timestamp: at - (n % 600) * 1000,
    received_at: at,
  };
}

const run = Date.now().toString(36);
const namespace = `bench_${run}`;
const tenantId = `bench-${run}`;
const database = `lemo_bench_${run}`;
const stack = stackEnv(['KAFKA_BOOTSTRAP_SERVERS', 'REDIS_URL', 'CLICKHOUSE_HOST']);
const clickhouseUrl = `http://${stack.CLICKHOUSE_HOST}:${stack.CLICKHOUSE_PORT ?? 8123}/`;
const { Kafka, logLevel } = require('kafkajs');
const kafka = new Kafka({ clientId: `bench-${run}`, brokers: stack.KAFKA_BOOTSTRAP_SERVERS.split(','), logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lemo-bench-streams-'));
let streams;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => (interrupted = true));

async function clickhouse(query) {
  const res = await fetch(clickhouseUrl, { method: 'POST', body: query });
  const text = await res.text();
  if (!res.ok) throw new Error(`ClickHouse: ${text.trim()}`);
  return text.trim();
}

/**
 * Events of the tenant (0 while the sink has not created the table yet): raw rows while polling (a cheap
 * count; the dev stack's ClickHouse shim runs one request at a time, so a FINAL count every poll would
 * slow the inserts it measures), distinct ones (FINAL, as every query counts) at the end.
 */
const countEvents = (final = false) =>
  clickhouse(`SELECT count() FROM \`${database}\`.user_behaviors ${final ? 'FINAL' : ''} WHERE tenant_id = '${tenantId}'`)
    .then(Number)
    .catch(() => 0);

try {
  const main = path.join(root, 'dist/apps/streams/src/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (node tools/build/build.mjs apps/streams)`);

  // The API's side: the topic (created the way the app's bus creates topics), then every event.
  const topic = `${namespace}.user-behaviors-${tenantId}`;
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const at = Date.now();
  const produceStarted = performance.now();
  for (let start = 0; start < N; start += 1000) {
    const messages = [];
    for (let n = start; n < Math.min(N, start + 1000); n++) {
      const event = behaviorEvent(n, tenantId, at);
      messages.push({ key: event.user_id, value: JSON.stringify(event), headers: { event_type: 'behavior' } });
    }
    await producer.send({ topic, acks: -1, messages });
  }
  const produceSeconds = (performance.now() - produceStarted) / 1000;
  await producer.disconnect();
  log(`published ${N} events to ${topic} (${PARTITIONS} partitions) in ${produceSeconds.toFixed(1)} s`);

  const healthPort = await freePort();
  const started = performance.now();
  const start = () => {
    streams = spawn(process.execPath, [main], {
      cwd: root,
      env: {
        ...process.env,
        ...stack,
        PROFILE: 'cluster',
        STORAGE_NAMESPACE: namespace,
        CLICKHOUSE_DATABASE: database,
        ADMIN_API_KEY: 'bench-admin-key-0123456789',
        DOCUMENT_STORE_DRIVER: 'embedded',
        VECTOR_INDEX_DRIVER: 'embedded',
        DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        HEALTH_PORT: String(healthPort),
        LOG_LEVEL: 'warn',
        STREAMS_BATCH_MAX_ROWS: args['max-rows'],
        STREAMS_BATCH_MAX_WAIT_MS: args['max-wait-ms'],
      },
      // The app's output goes to stderr: stdout carries the figure only.
      stdio: ['ignore', 2, 2],
    });
  };
  start();
  let restarts = 0;
  let firstAt = null;
  let count = 0;
  const deadline = Date.now() + Number(args.timeout) * 1000;
  while (count < N) {
    if (Date.now() > deadline) throw new Error(`only ${count} of ${N} events stored after ${args.timeout} s`);
    if (interrupted) throw new Error(`interrupted with ${count} of ${N} events stored`);
    if (streams.exitCode !== null) {
      // On a loaded machine a server may not answer within the app's start-up budget (ClickHouse migrations):
      // it exits, as a pod would, and is started again (committed offsets make this a resume).
      if (++restarts > 3) throw new Error(`the streams app exited ${restarts} times (last exit code ${streams.exitCode})`);
      log(`the streams app exited with code ${streams.exitCode}; starting it again (${restarts})`);
      start();
    }
    await sleep(1000);
    count = await countEvents();
    if (count > 0 && firstAt === null) firstAt = performance.now();
  }
  const doneAt = performance.now();
  const rows = count;
  const distinct = await countEvents(true);
  const metrics = await fetch(`http://127.0.0.1:${healthPort}/metrics`).then((res) => res.text());
  const metric = (name, labels = '') => Number(new RegExp(`^${name}\\{[^}]*${labels}[^}]*\\} ([0-9.e+-]+)$`, 'm').exec(metrics)?.[1] ?? NaN);
  const sink = 'job="analytics-sink"';

  const seconds = (doneAt - firstAt) / 1000;
  const inserts = metric('lemo_stream_batch_rows_count', sink);
  const result = {
    events: N,
    partitions: PARTITIONS,
    batch_max_rows: Number(args['max-rows']),
    batch_max_wait_ms: Number(args['max-wait-ms']),
    events_per_second: Math.round(N / seconds),
    seconds_first_to_last_event: Math.round(seconds * 10) / 10,
    seconds_from_process_start: Math.round(((doneAt - started) / 1000) * 10) / 10,
    app_restarts: restarts,
    raw_rows: rows,
    inserts,
    mean_rows_per_insert: Math.round(metric('lemo_stream_batch_rows_sum', sink) / inserts),
    insert_seconds: Math.round(metric('lemo_stream_flush_duration_seconds_sum', `${sink},outcome="ok"`) * 10) / 10,
    publish_seconds: Math.round(produceSeconds * 10) / 10,
    load_average: os.loadavg().map((x) => Math.round(x * 10) / 10),
  };
  if (rows !== N || distinct !== N) throw new Error(`${rows} raw rows and ${distinct} distinct events for ${N} events`);
  if (args.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    process.stdout.write(
      `${N} behaviour events (${PARTITIONS} partitions) into ClickHouse: ${result.events_per_second} events/s ` +
        `(${result.seconds_first_to_last_event} s first to last event; ${result.seconds_from_process_start} s from the app's start; ` +
        `${inserts} inserts of ${result.mean_rows_per_insert} rows on average, ${result.insert_seconds} s inserting; ` +
        `${rows} raw rows; load average ${result.load_average.join(' ')})\n`,
    );
  }
} finally {
  if (streams && streams.exitCode === null) {
    streams.kill('SIGTERM');
    await new Promise((resolve) => streams.once('exit', resolve));
  }
  await cleanUp().catch((error) => log(`clean-up incomplete: ${error.message}`));
  rmSync(dataDir, { recursive: true, force: true });
}

/** Removes what the run created: its topic and groups, its Redis keys, its ClickHouse database. */
async function cleanUp() {
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${namespace}.`));
  const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((groupId) => groupId.startsWith(`${namespace}.`));
  if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
  if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
  const Redis = require('ioredis');
  const redis = new Redis(stack.REDIS_URL, { lazyConnect: true });
  await redis.connect();
  for (const pattern of [`${namespace}:*`, `${namespace}.bull:*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  await redis.quit();
  await clickhouse(`DROP DATABASE IF EXISTS \`${database}\``);
}
