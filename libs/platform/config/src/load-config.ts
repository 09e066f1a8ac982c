import { CLUSTER_DRIVERS, DRIVER_VARIABLES, envSchema, type Env, type PortGroup } from './config.schema';
import { AppConfig, type BackendEndpoints, type StorageDrivers } from './app-config';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function driversFor(e: Env): StorageDrivers {
  const pick = <G extends PortGroup>(group: G, chosen: StorageDrivers[G] | undefined): StorageDrivers[G] =>
    chosen ?? (e.PROFILE === 'cluster' ? CLUSTER_DRIVERS[group] : 'embedded');
  return {
    documents: pick('documents', e.DOCUMENT_STORE_DRIVER),
    eventBus: pick('eventBus', e.EVENT_BUS_DRIVER),
    jobQueue: pick('jobQueue', e.JOB_QUEUE_DRIVER),
    cache: pick('cache', e.CACHE_DRIVER),
    featureStore: pick('featureStore', e.FEATURE_STORE_DRIVER),
    vectorIndex: pick('vectorIndex', e.VECTOR_INDEX_DRIVER),
    analytics: pick('analytics', e.ANALYTICS_DRIVER),
  };
}

/** Each cluster driver needs its server's address; every missing one is named. */
function missingEndpoints(drivers: StorageDrivers, backends: BackendEndpoints): string[] {
  const needs: Record<string, keyof BackendEndpoints> = { mongodb: 'mongodb', kafka: 'kafka', bull: 'redis', redis: 'redis', milvus: 'milvus', clickhouse: 'clickhouse' };
  const variable: Record<keyof BackendEndpoints, string> = {
    mongodb: 'MONGODB_URL',
    kafka: 'KAFKA_BOOTSTRAP_SERVERS',
    redis: 'REDIS_URL',
    milvus: 'MILVUS_HOST',
    clickhouse: 'CLICKHOUSE_HOST',
  };
  return (Object.keys(drivers) as PortGroup[])
    .filter((group) => drivers[group] !== 'embedded' && !backends[needs[drivers[group]]])
    .map((group) => `${variable[needs[drivers[group]]]}: required by ${DRIVER_VARIABLES[group]}=${drivers[group]}`);
}

function backendsFrom(e: Env): BackendEndpoints {
  return {
    ...(e.MONGODB_URL && {
      mongodb: {
        url: e.MONGODB_URL,
        database: e.MONGODB_DATABASE,
        ...(e.MONGODB_SERVER_SELECTION_TIMEOUT_MS !== undefined && { serverSelectionTimeoutMs: e.MONGODB_SERVER_SELECTION_TIMEOUT_MS }),
      },
    }),
    ...(e.REDIS_URL && { redis: { url: e.REDIS_URL } }),
    ...(e.KAFKA_BOOTSTRAP_SERVERS && {
      kafka: {
        brokers: e.KAFKA_BOOTSTRAP_SERVERS.split(',').map((b) => b.trim()),
        clientId: e.KAFKA_CLIENT_ID,
        partitions: e.KAFKA_TOPIC_PARTITIONS,
        replicationFactor: e.KAFKA_REPLICATION_FACTOR,
      },
    }),
    ...(e.MILVUS_HOST && { milvus: { address: `${e.MILVUS_HOST}:${e.MILVUS_PORT}`, username: e.MILVUS_USER, password: e.MILVUS_PASSWORD } }),
    ...(e.CLICKHOUSE_HOST && {
      clickhouse: {
        url: `http://${e.CLICKHOUSE_HOST}:${e.CLICKHOUSE_PORT}`,
        database: e.CLICKHOUSE_DATABASE,
        username: e.CLICKHOUSE_USER,
        password: e.CLICKHOUSE_PASSWORD,
        retentionDays: e.ANALYTICS_RETENTION_DAYS,
      },
    }),
  };
}

/** The process environment; the one read of process.env in the code base. */
export const processEnvironment = (): Record<string, string | undefined> => process.env;

/**
 * Validates the environment once and returns the typed config. Every problem
 * is reported in one error, so an operator fixes them all in one go.
 */
export function loadConfig(source: Record<string, string | undefined> = processEnvironment()): AppConfig {
  const env = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`));
  }
  const e = parsed.data;
  const drivers = driversFor(e);
  const backends = backendsFrom(e);
  const problems = missingEndpoints(drivers, backends);
  if (e.PROFILE === 'cluster' && e.AUTH_MODE === 'api-key' && !e.ADMIN_API_KEY) problems.push('ADMIN_API_KEY: required on the cluster profile in api-key mode');
  if (problems.length) throw new ConfigError(problems);
  return new AppConfig(
    e.PROFILE,
    e.NODE_ENV,
    e.SERVICE_NAME,
    { host: e.HOST, port: e.HTTP_PORT, bodyLimit: e.HTTP_BODY_LIMIT },
    { host: e.HOST, port: e.GRPC_PORT },
    e.HEALTH_PORT,
    e.DATA_DIR,
    e.LOG_LEVEL,
    { mode: e.AUTH_MODE, adminApiKey: e.ADMIN_API_KEY },
    e.VECTOR_DIM,
    e.DEMO_SEED,
    drivers,
    { behaviors: e.KAFKA_TOPIC_BEHAVIORS, items: e.KAFKA_TOPIC_ITEMS },
    e.SCHEDULER_TIMEZONE,
    e.RECOMMEND_MAX_COUNT,
    backends,
    e.STORAGE_NAMESPACE,
    {
      workerConcurrency: {
        default: e.WORKER_CONCURRENCY_DEFAULT,
        model_training: e.WORKER_CONCURRENCY_MODEL_TRAINING,
        item_processing: e.WORKER_CONCURRENCY_ITEM_PROCESSING,
        user_profile: e.WORKER_CONCURRENCY_USER_PROFILE,
      },
      beatSchedules: e.BEAT_SCHEDULES,
      jobLocks: { lockDurationMs: e.BULL_LOCK_DURATION_MS, stalledIntervalMs: e.BULL_STALLED_INTERVAL_MS },
      streams: { batchMaxRows: e.STREAMS_BATCH_MAX_ROWS, batchMaxWaitMs: e.STREAMS_BATCH_MAX_WAIT_MS, consumerConcurrency: e.STREAMS_CONSUMER_CONCURRENCY },
      itemEvents: { publishResults: e.ITEM_EVENTS_PUBLISH_RESULTS, reportIntervalMs: e.ITEM_EVENTS_REPORT_INTERVAL_MS },
      servingFeaturesWriter: e.SERVING_FEATURES_WRITER,
    },
    {
      url: e.MODEL_SERVER_URL?.replace(/\/$/, ''),
      token: e.MODEL_SERVER_TOKEN,
      timeoutMs: e.MODEL_SERVER_TIMEOUT_MS,
      pollMs: e.MODEL_SERVER_POLL_MS,
      maxLoaded: e.MODEL_SERVER_MAX_MODELS,
    },
  );
}
