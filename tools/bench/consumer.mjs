#!/usr/bin/env node
// Throughput of the consumer app on the cluster profile: item events from real Kafka into the
// real MongoDB. Not a test: it reports items/s. It needs the dev stack (endpoints from .stack/env,
// `npm run stack:up`) and the dist/ build (`node tools/build/build.mjs`).
//
// 1. Creates a fresh tenant (quota raised to fit) and scenario in a database of its own.
// 2. Publishes N items as `create` messages of --batch items each to the tenant's
//    `item-events-{tenant_id}` topic (--partitions partitions, keyed per message), as a business
//    system would, with a plain kafkajs producer (acks from all replicas).
// 3. Starts the built consumer app (dist/apps/consumer/src/main.js, PROFILE=cluster: Kafka, MongoDB,
//    Bull on Redis, ClickHouse; the vector index embedded unless --vector-index milvus, see below) and
//    follows its items-written counter (/metrics) until it reaches N, then checks the store's item
//    count. Polling the store's count instead would be a scan of the whole collection on FerretDB,
//    ten times a second, competing with the consumer for the server (a restarted consumer's counter
//    starts again at 0: after a restart the store's count is polled, once a second).
// Items/s = N / (time of the last item − time of the first item in the store), so the start of
// the process and the first topic listing are not counted; from the start is printed too.
// Everything runs in a STORAGE_NAMESPACE of its own; the topics, groups, queues and database are
// removed at the end. The vectors jobs the writes enqueue are not run (no worker).
//
// Usage:
//   node tools/build/build.mjs                # once
//   node tools/bench/consumer.mjs [--items 50000] [--batch 100] [--partitions 6] [--vector-index embedded|milvus] [--json]
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
const dist = (file) => require(path.join(root, 'dist', file));

const { values: args } = parseArgs({
  options: {
    items: { type: 'string', default: '50000' },
    batch: { type: 'string', default: '100' },
    partitions: { type: 'string', default: '6' },
    'vector-index': { type: 'string', default: 'embedded' },
    /** Give up when the consumer has not stored every item after this long. */
    timeout: { type: 'string', default: '900' },
    json: { type: 'boolean', default: false },
  },
});
const N = Number(args.items);
const BATCH = Number(args.batch);
const PARTITIONS = Number(args.partitions);
const log = (message) => process.stderr.write(`[bench:consumer] ${message}\n`);

/** The consumer's count of written items (0 until it serves /metrics). */
async function itemsWritten(port) {
  try {
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`).then((res) => res.text());
    return Number(/^lemo_item_events_items_written_total\{[^}]*operation="create"[^}]*\} ([0-9.e+-]+)$/m.exec(metrics)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function item(n) {
  const category = `cat_${n % 12}`;
  return {
    item_id: `item_${n}`,
    metadata: {
      title: `Item ${n} of ${category}`,
      description: `A synthetic item in ${category}, number ${n}, for the consumer benchmark`,
      category,
      tags: [category, `tag_${n % 50}`, `tag_${n % 7}`],
      price: (n % 500) + 0.99,
      publish_time: Date.now() - (n % 1000) * 60_000,
    },
  };
}

const run = Date.now().toString(36);
const namespace = `bench_${run}`;
const tenantId = `bench-${run}`;
const database = `lemo_bench_${run}`;
const stack = stackEnv(['KAFKA_BOOTSTRAP_SERVERS', 'MONGODB_URL', 'REDIS_URL', 'MILVUS_HOST', 'CLICKHOUSE_HOST']);
const { Kafka, logLevel } = require('kafkajs');
const kafka = new Kafka({ clientId: `bench-${run}`, brokers: stack.KAFKA_BOOTSTRAP_SERVERS.split(','), logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lemo-bench-consumer-'));
let context;
let consumer;
// Ctrl-C stops the run at the next poll, so that the clean-up below still runs.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => (interrupted = true));

try {
  const main = path.join(root, 'dist/apps/consumer/src/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (node tools/build/build.mjs)`);
  require('reflect-metadata');
  const { NestFactory } = require('@nestjs/core');
  const { loadConfig } = dist('libs/platform/config/src/index.js');
  const { CoreModule } = dist('libs/runtime/src/index.js');
  const { TenantAdminUseCase, ScenariosUseCase } = dist('libs/application/src/index.js');
  const { ItemRepository, createTenantSchema, createScenarioSchema, topicFor } = dist('libs/domain/src/index.js');

  // This process only sets up and counts: the document store on MongoDB, everything else embedded in memory.
  const config = loadConfig({
    ...stack,
    PROFILE: 'embedded',
    DOCUMENT_STORE_DRIVER: 'mongodb',
    MONGODB_DATABASE: database,
    DATA_DIR: ':memory:',
    LOG_LEVEL: 'silent',
  });
  context = await NestFactory.createApplicationContext(CoreModule.forConfig(config), { logger: false });
  await context
    .get(TenantAdminUseCase)
    .createTenant(createTenantSchema.parse({ tenant_id: tenantId, name: 'Consumer bench', quotas: { max_items: Math.max(N, 1000) } }));
  await context.get(ScenariosUseCase).create(tenantId, createScenarioSchema.parse({ scenario_id: 'shop', name: 'Shop', scenario_type: 'ecommerce' }));
  const store = context.get(ItemRepository);

  // The business system: the topic (created the way the app's bus creates topics), then every message.
  const topic = `${namespace}.${topicFor(config.topics.items, tenantId)}`;
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const messages = [];
  for (let start = 0, m = 0; start < N; start += BATCH, m++) {
    const items = Array.from({ length: Math.min(BATCH, N - start) }, (_, i) => item(start + i));
    messages.push({ key: `m${m}`, value: JSON.stringify({ operation: 'create', scenario_id: 'shop', items }), headers: { request_id: `bench-${run}-${m}` } });
  }
  const produceStarted = performance.now();
  for (let i = 0; i < messages.length; i += 50) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 50) });
  const produceSeconds = (performance.now() - produceStarted) / 1000;
  await producer.disconnect();
  log(`published ${N} items in ${messages.length} messages of ${BATCH} to ${topic} (${PARTITIONS} partitions) in ${produceSeconds.toFixed(1)} s`);

  // The consumer app as it runs in production, on the cluster profile.
  const healthPort = await freePort();
  const started = performance.now();
  const start = () => {
    consumer = spawn(process.execPath, [main], {
      cwd: root,
      env: {
        ...process.env,
        ...stack,
        PROFILE: 'cluster',
        STORAGE_NAMESPACE: namespace,
        MONGODB_DATABASE: database,
        CLICKHOUSE_DATABASE: database,
        ADMIN_API_KEY: 'bench-admin-key-0123456789',
        DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        HEALTH_PORT: String(healthPort),
        LOG_LEVEL: 'warn',
        // Creates never touch the vector index. Opening the Milvus client blocks the event loop for seconds on
        // a loaded machine, long enough for MongoDB's 5 s server selection to expire at start-up: measured
        // here, the app then exits at every start. --vector-index milvus uses it anyway.
        VECTOR_INDEX_DRIVER: args['vector-index'],
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
    if (Date.now() > deadline) throw new Error(`only ${count} of ${N} items stored after ${args.timeout} s`);
    if (interrupted) throw new Error(`interrupted with ${count} of ${N} items stored`);
    if (consumer.exitCode !== null) {
      // On a loaded machine a server may not answer within the app's 5 s start-up budget: it exits, as a pod
      // would, and is started again (its committed offsets, if any, make this a resume).
      if (++restarts > 3) throw new Error(`the consumer exited ${restarts} times (last exit code ${consumer.exitCode})`);
      log(`the consumer exited with code ${consumer.exitCode}; starting it again (${restarts})`);
      start();
    }
    await sleep(restarts ? 1000 : 100);
    count = restarts ? await store.count(tenantId) : await itemsWritten(healthPort);
    // Written items may include a redelivered batch's: the store has the last word.
    if (count >= N && !restarts) count = await store.count(tenantId);
    if (count > 0 && firstAt === null) firstAt = performance.now();
  }
  const doneAt = performance.now();
  const metrics = await fetch(`http://127.0.0.1:${healthPort}/metrics`).then((res) => res.text());
  const metric = (name, labels = '') => Number(new RegExp(`^${name}\\{[^}]*${labels}[^}]*\\} ([0-9.e+-]+)$`, 'm').exec(metrics)?.[1] ?? NaN);

  const seconds = (doneAt - firstAt) / 1000;
  const result = {
    items: N,
    batch: BATCH,
    messages: messages.length,
    partitions: PARTITIONS,
    vector_index: args['vector-index'],
    items_per_second: Number((N / seconds).toPrecision(3)),
    seconds_first_to_last_item: Math.round(seconds * 10) / 10,
    seconds_from_process_start: Math.round(((doneAt - started) / 1000) * 10) / 10,
    consumer_restarts: restarts,
    publish_seconds: Math.round(produceSeconds * 10) / 10,
    consumer_bus_batches: metric('lemo_item_events_handler_duration_seconds_count', 'outcome="ok"'),
    consumer_handler_seconds: Math.round(metric('lemo_item_events_handler_duration_seconds_sum', 'outcome="ok"') * 10) / 10,
    consumer_items_written: metric('lemo_item_events_items_written_total', 'operation="create"'),
    load_average: os.loadavg().map((x) => Math.round(x * 10) / 10),
  };
  if (args.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    process.stdout.write(
      `${N} items (${messages.length} messages of ${BATCH}, ${PARTITIONS} partitions) into MongoDB: ${result.items_per_second} items/s ` +
        `(${result.seconds_first_to_last_item} s first to last item; ${result.seconds_from_process_start} s from the consumer's start; ` +
        `${result.consumer_bus_batches} bus batches, ${result.consumer_handler_seconds} s in the handler; load average ${result.load_average.join(' ')})\n`,
    );
  }
} finally {
  if (consumer && consumer.exitCode === null) {
    consumer.kill('SIGTERM');
    await new Promise((resolve) => consumer.once('exit', resolve));
  }
  await context?.close().catch(() => undefined);
  await cleanUp().catch((error) => log(`clean-up incomplete: ${error.message}`));
  rmSync(dataDir, { recursive: true, force: true });
}

/** Removes what the run created: its topics and groups, its Redis keys (Bull queues), its databases. */
async function cleanUp() {
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${namespace}.`));
  const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((groupId) => groupId.startsWith(`${namespace}.`));
  if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
  if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
  const { MongoClient } = require('mongodb');
  const mongo = new MongoClient(stack.MONGODB_URL);
  await mongo.connect();
  await mongo.db(database).dropDatabase();
  await mongo.close();
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
  const clickhouse = `http://${stack.CLICKHOUSE_HOST}:${stack.CLICKHOUSE_PORT ?? 8123}/`;
  await fetch(clickhouse, { method: 'POST', body: `DROP DATABASE IF EXISTS \`${database}\`` });
  const { MilvusClient } = require('@zilliz/milvus2-sdk-node');
  const milvus = new MilvusClient({ address: `${stack.MILVUS_HOST}:${stack.MILVUS_PORT ?? 19530}` });
  const collections = (await milvus.showCollections()).data.map((c) => c.name).filter((name) => name.startsWith(`${namespace}_`));
  for (const collection of collections) await milvus.dropCollection({ collection_name: collection });
  await milvus.closeConnection();
}
