import { createClient as createClickHouseClient, type ClickHouseClient } from '@clickhouse/client';
import { ConsistencyLevelEnum, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { Redis } from 'ioredis';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { createConnection, type Connection } from 'mongoose';
import { AppCluster, eventually, type AppName, type AppProcess } from '@lemo/testing';
import {
  createTenantAndScenario,
  eventFreshnessMs,
  freshItem,
  itemFreshnessMs,
  recommend,
  RestClient,
  SCENARIO,
  stepLogger,
  tasteShare,
  TENANT,
  trackEvents,
  trainAndWait,
  typicalUsers,
  walkData,
} from './platform-walk';

/**
 * Issue "background apps", the end-to-end suite on the cluster profile: all
 * seven apps as separate processes from the dist build, on the dev stack's
 * real servers, in databases and a namespace of this run. Items arrive on
 * Kafka (consumer → MongoDB → vectors job → worker → Milvus), events through
 * the api (→ Kafka → streams → ClickHouse, and hot scores and recent items → Redis), beat's
 * schedule rebuilds item similarity in the worker, a ranker trained through
 * the jobs API is served by the model-server, and a recommendation shows all
 * of it. Every store is checked directly, not through the API.
 */
const APPS: AppName[] = ['api', 'grpc', 'worker', 'beat', 'consumer', 'streams', 'model-server'];

describe('end to end (cluster profile): seven apps as separate processes', () => {
  // As the Helm chart deploys it: the streams app writes hot scores and recent interactions from the behaviour topic.
  const cluster = new AppCluster({ name: 'e2e', env: { SERVING_FEATURES_WRITER: 'streams' } });
  const step = stepLogger('e2e cluster');
  const data = walkData();
  const apps: Partial<Record<AppName, AppProcess>> = {};
  let api: RestClient;
  let namespace: string;
  let producer: Producer;
  let mongo: Connection;
  let clickhouse: ClickHouseClient;
  let redis: Redis;
  let milvus: MilvusClient;

  const publishItems = async (items: unknown[]) => {
    const messages = [];
    for (let i = 0; i < items.length; i += 50) {
      messages.push({ key: `batch-${i}`, value: JSON.stringify({ operation: 'create', scenario_id: SCENARIO, items: items.slice(i, i + 50) }) });
    }
    await producer.send({ topic: `${namespace}.item-events-${TENANT}`, messages });
  };

  beforeAll(async () => {
    const env = cluster.env;
    namespace = env.STORAGE_NAMESPACE;
    // The model-server first, so the api can be told where it is; then the api, which creates the run's
    // databases, indexes, topics and vector collection; then the rest together.
    apps['model-server'] = await cluster.start('model-server');
    apps.api = await cluster.start('api', { env: { MODEL_SERVER_URL: apps['model-server'].url, MODEL_SERVER_TIMEOUT_MS: '10000' } });
    // Item similarity every 2 s, schedules that would only add load off: beat's work shows within seconds.
    const schedules = { item_similarity: '*/2 * * * * *', recall_training: 'off', item_vectors: 'off', user_profiles: 'off', precompute: 'off', cache_cleanup: 'off' };
    const rest = await Promise.all([
      cluster.start('grpc'),
      cluster.start('worker'),
      cluster.start('beat', { env: { BEAT_SCHEDULES: JSON.stringify(schedules) } }),
      cluster.start('consumer'),
      cluster.start('streams'),
    ]);
    for (const app of rest) apps[app.app] = app;
    step('seven apps ready');

    api = new RestClient(apps.api.url);
    await createTenantAndScenario(api);
    const kafka = new Kafka({ clientId: 'e2e', brokers: env.KAFKA_BOOTSTRAP_SERVERS.split(','), logLevel: logLevel.NOTHING });
    producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    mongo = await createConnection(env.MONGODB_URL, { dbName: env.MONGODB_DATABASE }).asPromise();
    clickhouse = createClickHouseClient({ url: `http://${env.CLICKHOUSE_HOST}:${env.CLICKHOUSE_PORT}`, database: env.CLICKHOUSE_DATABASE });
    redis = new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    milvus = new MilvusClient({ address: `${env.MILVUS_HOST}:${env.MILVUS_PORT}` });
  });

  afterAll(async () => {
    await producer?.disconnect().catch(() => undefined);
    await mongo?.close().catch(() => undefined);
    await clickhouse?.close().catch(() => undefined);
    redis?.disconnect();
    await milvus?.closeConnection().catch(() => undefined);
    await cluster.stopAll();
    await cluster.wipeData();
  });

  it.each(APPS.filter((app) => app !== 'grpc'))('%s answers /health (every backend up) and /metrics', async (name) => {
    const app = apps[name]!;
    const health = await fetch(`${app.url}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    const metrics = await fetch(`${app.url}/metrics`);
    expect(await metrics.text()).toContain('process_cpu_seconds_total');
  });

  it('grpc answers the standard gRPC health check with SERVING', async () => {
    await expect(apps.grpc!.waitReady(10_000)).resolves.toBeUndefined();
  });

  it('stores items published on Kafka in MongoDB, and the worker puts their vectors in Milvus', async () => {
    await publishItems(data.items);
    const items = mongo.collection('items');
    await eventually(async () => (await items.countDocuments({ tenant_id: TENANT, scenario_id: SCENARIO })) === data.items.length, 240_000, 250);
    step(`${data.items.length} items from Kafka in MongoDB`);
    const collection = `${namespace}_lemo_item_vectors_${cluster.env.VECTOR_DIM ?? '64'}d`;
    const vectors = async () => {
      const { data: rows } = await milvus.query({
        collection_name: collection,
        filter: `tenant_id == "${TENANT}" && scenario_id == "${SCENARIO}"`,
        output_fields: ['count(*)'],
        consistency_level: ConsistencyLevelEnum.Strong,
      });
      return Number(rows[0]?.['count(*)'] ?? 0);
    };
    await eventually(async () => (await vectors()) === data.items.length, 240_000, 500);
    step('their vectors in Milvus');
  });

  it('counts every tracked event exactly once in ClickHouse, and keeps hot scores in Redis', async () => {
    await trackEvents(api, data);
    step(`${data.events.length} events tracked`);
    const count = async () => {
      const result = await clickhouse.query({
        query: 'SELECT count() AS n FROM user_behaviors FINAL WHERE tenant_id = {tenant:String} AND scenario_id = {scenario:String}',
        query_params: { tenant: TENANT, scenario: SCENARIO },
        format: 'JSONEachRow',
      });
      const [row] = await result.json<{ n: string }>();
      return Number(row?.n ?? 0);
    };
    await eventually(async () => (await count()) >= data.events.length, 120_000, 500);
    expect(await count()).toBe(data.events.length);
    step('events in ClickHouse, counted exactly');
    // Written by the streams app's serving-features job from the behaviour topic (the api only publishes).
    const eventItems = new Set(data.events.map((event) => event.item_id));
    await eventually(async () => (await redis.zcard(`${namespace}:lemo:${TENANT}:hot:${SCENARIO}`)) >= 10, 60_000, 250);
    const hot = await redis.zrevrange(`${namespace}:lemo:${TENANT}:hot:${SCENARIO}`, 0, 9);
    expect(hot.every((item) => eventItems.has(item))).toBe(true);
    const lastUser = data.events[data.events.length - 1].user_id;
    await eventually(async () => (await redis.zcard(`${namespace}:lemo:${TENANT}:recent:${lastUser}`)) > 0, 60_000, 250);
    step('hot scores and recent interactions in Redis, from the streams app');
  });

  it('trains a ranker in the worker that the model-server serves, and recommends with all of it', async () => {
    const job = await trainAndWait(api, 'lr');
    expect(job.result).toMatchObject({ model_id: `${SCENARIO}.lr`, deployed: true });
    step('lr trained in the worker');
    const users = typicalUsers(data);
    // Beat's item-similarity ticks and the model-server's load of the new version both land within seconds.
    await eventually(async () => (await recommend(api, users[0])).debug?.ranked_by?.served_by === 'model_server', 120_000, 500);
    const first = await recommend(api, users[0]);
    expect(first.debug?.ranked_by).toMatchObject({ ranker: 'lr', served_by: 'model_server' });
    const loaded = await fetch(`${apps['model-server']!.url}/v1/models`, { headers: { 'X-Tenant-Id': TENANT } });
    expect(((await loaded.json()) as { items: unknown[] }).items).toEqual([expect.objectContaining({ scenario_id: SCENARIO, model: 'lr', deployed: true })]);
    const share = await tasteShare(api, data, users);
    step(`personalised share ${share.toFixed(2)} over ${users.length} users`);
    // 12 planted tastes: a list blind to the user would hit their category ~8 % of the time.
    expect(share).toBeGreaterThan(0.3);
  });

  it('measures freshness: an event in the next recommendation, a Kafka item in the latest list', async () => {
    const users = typicalUsers(data);
    const eventMs = await eventFreshnessMs(api, users[1]);
    const itemMs = await itemFreshnessMs(api, 'fresh_1', () => publishItems([freshItem('fresh_1')]));
    step(`freshness: event accepted → next recommendation ${eventMs} ms; item published on Kafka → latest list ${itemMs} ms`);
  });
});
