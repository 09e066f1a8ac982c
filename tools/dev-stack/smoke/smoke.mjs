// Smoke test of the dev stack with real clients: `node tools/dev-stack/stack.mjs smoke` runs it
// after `up` (it installs mongodb, kafkajs and @clickhouse/client into .stack/cache/smoke and reads
// the endpoints from .stack/env). Each server gets a short real round trip; prints "N passed, N failed".
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const need = createRequire(path.join(process.env.SMOKE_MODULE_DIR, 'package.json'));
const only = new Set((process.env.SMOKE_ONLY || 'redis,kafka,mongodb,milvus,clickhouse').split(','));
const env = process.env;
const results = [];

async function check(name, fn) {
  if (!only.has(name)) return;
  const t0 = Date.now();
  try {
    const detail = await fn();
    results.push(true);
    console.log(`ok   ${name} (${Date.now() - t0} ms): ${detail}`);
  } catch (e) {
    results.push(false);
    console.log(`FAIL ${name} (${Date.now() - t0} ms): ${e?.stack || e}`);
  }
}
const assert = (cond, msg) => {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
};

await check('redis', async () => {
  if (!env.REDIS_URL) throw new Error('REDIS_URL missing from .stack/env (is redis up?)');
  const cli = (...a) => execFileSync('redis-cli', ['-u', env.REDIS_URL, ...a], { encoding: 'utf8' }).trim();
  assert(cli('PING') === 'PONG', 'PING');
  cli('SET', 'dev-stack:smoke', '42', 'EX', '30');
  assert(cli('INCR', 'dev-stack:smoke') === '43', 'INCR');
  cli('DEL', 'dev-stack:smoke');
  return `redis-cli PING/SET/INCR/DEL, ${cli('INFO', 'server').match(/redis_version:(\S+)/)[1]}`;
});

await check('kafka', async () => {
  if (!env.KAFKA_BOOTSTRAP_SERVERS) throw new Error('KAFKA_BOOTSTRAP_SERVERS missing from .stack/env');
  const { Kafka, logLevel } = need('kafkajs');
  const kafka = new Kafka({ clientId: 'dev-stack-smoke', brokers: env.KAFKA_BOOTSTRAP_SERVERS.split(','), logLevel: logLevel.NOTHING });
  const topic = `dev-stack-smoke-${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: [
      { key: 'a', value: 'hello' },
      { key: 'b', value: 'world' },
    ],
  });
  const consumer = kafka.consumer({ groupId: `${topic}-group` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got = [];
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`consumed only ${got.length}/2 in 30s`)), 30_000);
    consumer.run({
      eachMessage: async ({ message }) => {
        got.push(message.value.toString());
        if (got.length === 2) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  // auto.create.topics.enable: producing to an unknown topic creates it
  await producer.send({ topic: `${topic}-auto`, messages: [{ value: 'x' }] });
  const meta = await admin.fetchTopicMetadata({ topics: [`${topic}-auto`] });
  assert(meta.topics[0].partitions.length === 1, 'auto-created topic');
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic, `${topic}-auto`] });
  await admin.disconnect();
  return `kafkajs: createTopics, produce 2, consumer group read [${got.sort().join(', ')}], auto-create on produce, deleteTopics`;
});

await check('mongodb', async () => {
  if (!env.MONGODB_URL) throw new Error('MONGODB_URL missing from .stack/env');
  const { MongoClient } = need('mongodb');
  const client = new MongoClient(env.MONGODB_URL, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  try {
    const db = client.db(env.MONGODB_DATABASE);
    assert((await db.command({ ping: 1 })).ok === 1, 'ping');
    const col = db.collection('dev_stack_smoke');
    await col.drop().catch(() => {});
    await col.createIndex({ tenant: 1, item: 1 }, { unique: true });
    await col.insertMany([
      { tenant: 't1', item: 'a', n: 1, tags: ['x'] },
      { tenant: 't1', item: 'b', n: 2 },
      { tenant: 't2', item: 'a', n: 3 },
    ]);
    await col.updateOne({ tenant: 't1', item: 'a' }, { $inc: { n: 10 }, $addToSet: { tags: 'y' } });
    await col.updateOne({ tenant: 't3', item: 'z' }, { $set: { n: 0 } }, { upsert: true });
    const docs = await col.find({ tenant: 't1' }).sort({ item: 1 }).toArray();
    assert(docs.length === 2 && docs[0].n === 11 && docs[0].tags.join() === 'x,y', JSON.stringify(docs));
    assert((await col.countDocuments({})) === 4, 'count');
    const tenants = (await col.distinct('tenant')).sort().join();
    assert(tenants === 't1,t2,t3', tenants);
    const dup = await col.insertOne({ tenant: 't1', item: 'a' }).then(
      () => 'inserted',
      (e) => e.code,
    );
    assert(dup === 11000, `unique index: ${dup}`);
    const build = await db.admin().command({ buildInfo: 1 });
    await col.drop();
    return `ping, createIndex(unique), insertMany, $inc/$addToSet, upsert, find/sort, count, distinct, dup key 11000; reports MongoDB ${build.version}`;
  } finally {
    await client.close();
  }
});

await check('milvus', async () => {
  if (!env.MILVUS_HOST) throw new Error('MILVUS_HOST missing from .stack/env');
  return execFileSync(env.MILVUS_PYTHON, [path.join(HERE, 'milvus_smoke.py')], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop();
});

await check('clickhouse', async () => {
  if (!env.CLICKHOUSE_HOST) throw new Error('CLICKHOUSE_HOST missing from .stack/env');
  const { createClient, ClickHouseError, ClickHouseLogLevel } = need('@clickhouse/client');
  const client = createClient({
    url: `http://${env.CLICKHOUSE_HOST}:${env.CLICKHOUSE_PORT}`,
    database: env.CLICKHOUSE_DATABASE,
    log: { level: ClickHouseLogLevel.OFF },
  });
  try {
    assert((await client.ping()).success, 'ping');
    await client.command({ query: 'DROP TABLE IF EXISTS dev_stack_smoke' });
    await client.command({
      query: `CREATE TABLE dev_stack_smoke (tenant String, item String, score Float32, n UInt64, ts DateTime)
      ENGINE = MergeTree ORDER BY (tenant, item) TTL ts + INTERVAL 30 DAY`,
    });
    const ts = new Date().toISOString().slice(0, 19).replace('T', ' '); // recent: the TTL must not expire rows
    const ins = await client.insert({
      table: 'dev_stack_smoke',
      format: 'JSONEachRow',
      values: [
        { tenant: 't1', item: 'a', score: 0.5, n: 1, ts },
        { tenant: 't1', item: 'b', score: 0.9, n: 2, ts },
        { tenant: 't2', item: 'a', score: 0.1, n: 3, ts },
      ],
    });
    assert(ins.executed, 'insert');
    const rs = await client.query({
      query:
        'SELECT item, score, n, rank() OVER (ORDER BY score DESC) AS r FROM dev_stack_smoke WHERE tenant = {tenant:String} AND item IN {items:Array(String)} ORDER BY r',
      query_params: { tenant: 't1', items: ['a', 'b'] },
      format: 'JSONEachRow',
    });
    const rows = await rs.json();
    assert(rows.length === 2 && rows[0].item === 'b' && rows[0].n === '2', JSON.stringify(rows));
    const many = await client.query({
      query: 'SELECT count() AS c FROM dev_stack_smoke WHERE item IN {items:Array(String)}',
      query_params: { items: Array.from({ length: 800 }, (_, i) => `item-${i}`).concat('a') },
      format: 'JSON',
      use_multipart_params: true,
    });
    const c = (await many.json()).data[0].c;
    assert(c === '2', `multipart params count ${c}`);
    const err = await client.query({ query: 'SELECT * FROM no_such_table' }).then(
      () => null,
      (e) => e,
    );
    assert(err instanceof ClickHouseError && err.code === '60', `error mapping: ${err}`);
    await client.command({ query: 'DROP TABLE dev_stack_smoke' });
    return `@clickhouse/client: ping, CREATE (TTL), insert JSONEachRow, query_params + window fn, multipart params, UInt64 as string, ClickHouseError code ${err.code}`;
  } finally {
    await client.close();
  }
});

const passed = results.filter(Boolean).length;
console.log(`${passed} passed, ${results.length - passed} failed`);
process.exitCode = passed === results.length ? 0 : 1;
