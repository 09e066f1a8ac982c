import { envSchema, type Env, type Profile, type StorageDriver } from './config.schema';
import { AppConfig, type BackendEndpoints, type StorageDrivers } from './app-config';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function driversFor(profile: Profile, env: Env): StorageDrivers {
  const byProfile = (): StorageDriver => {
    switch (profile) {
      case 'embedded':
        return 'embedded';
      case 'cluster':
        // Cluster drivers (MongoDB, Redis, Kafka, Milvus, ClickHouse, Bull) are not built yet.
        throw new ConfigError(['PROFILE=cluster: the cluster adapters are not available in this build yet; use PROFILE=embedded']);
    }
  };
  return {
    documents: env.DOCUMENT_STORE_DRIVER ?? byProfile(),
    eventBus: env.EVENT_BUS_DRIVER ?? byProfile(),
    jobQueue: env.JOB_QUEUE_DRIVER ?? byProfile(),
    cache: env.CACHE_DRIVER ?? byProfile(),
    featureStore: env.FEATURE_STORE_DRIVER ?? byProfile(),
    vectorIndex: env.VECTOR_INDEX_DRIVER ?? byProfile(),
  };
}

function backendsFrom(e: Env): BackendEndpoints {
  return {
    ...(e.MONGODB_URL && { mongodb: { url: e.MONGODB_URL, database: e.MONGODB_DATABASE } }),
    ...(e.REDIS_URL && { redis: { url: e.REDIS_URL } }),
    ...(e.KAFKA_BOOTSTRAP_SERVERS && { kafka: { brokers: e.KAFKA_BOOTSTRAP_SERVERS.split(',').map((b) => b.trim()), clientId: e.KAFKA_CLIENT_ID } }),
    ...(e.MILVUS_HOST && { milvus: { address: `${e.MILVUS_HOST}:${e.MILVUS_PORT}`, username: e.MILVUS_USER, password: e.MILVUS_PASSWORD } }),
    ...(e.CLICKHOUSE_HOST && {
      clickhouse: { url: `http://${e.CLICKHOUSE_HOST}:${e.CLICKHOUSE_PORT}`, database: e.CLICKHOUSE_DATABASE, username: e.CLICKHOUSE_USER, password: e.CLICKHOUSE_PASSWORD },
    }),
  };
}

/**
 * Validates the environment once and returns the typed config. Every problem
 * is reported in one error, so an operator fixes them all in one go.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): AppConfig {
  const env = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`));
  }
  const e = parsed.data;
  if (e.PROFILE === 'cluster' && e.AUTH_MODE === 'api-key' && !e.ADMIN_API_KEY) {
    throw new ConfigError(['ADMIN_API_KEY: required on the cluster profile in api-key mode']);
  }
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
    driversFor(e.PROFILE, e),
    { behaviors: e.KAFKA_TOPIC_BEHAVIORS, items: e.KAFKA_TOPIC_ITEMS },
    e.SCHEDULER_TIMEZONE,
    e.RECOMMEND_MAX_COUNT,
    backendsFrom(e),
  );
}
