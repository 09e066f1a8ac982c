import { z } from 'zod';

/**
 * Every environment variable the platform reads, with its default and meaning.
 * Names are kept from the existing deployment wherever one existed, so an
 * operator's ConfigMap keeps working. The README's config table mirrors this.
 */
const port = z.coerce.number().int().min(1).max(65_535);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const PROFILES = ['embedded', 'cluster'] as const;
export type Profile = (typeof PROFILES)[number];

/** Drivers per port. Only `embedded` exists so far; the cluster drivers add their names here. */
export const STORAGE_DRIVERS = ['embedded'] as const;
export type StorageDriver = (typeof STORAGE_DRIVERS)[number];

export const envSchema = z.object({
  PROFILE: z.enum(PROFILES).default('embedded'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  SERVICE_NAME: z.string().min(1).default('lemo-service-recommender'),
  HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: port.default(10071),
  GRPC_PORT: port.default(10072),
  /** Port of the health/metrics endpoint of apps that serve no REST (worker, beat, consumer, streams, model-server). */
  HEALTH_PORT: port.default(10073),
  DATA_DIR: z.string().min(1).default('./.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AUTH_MODE: z.enum(['api-key', 'gateway']).default('api-key'),
  ADMIN_API_KEY: z.string().min(16, 'ADMIN_API_KEY must be at least 16 characters').optional(),
  VECTOR_DIM: z.coerce.number().int().min(8).max(4096).default(64),
  /** Seed the demo tenant on start (npm start sets it). */
  DEMO_SEED: bool.default(false),
  DOCUMENT_STORE_DRIVER: z.enum(STORAGE_DRIVERS).optional(),
  EVENT_BUS_DRIVER: z.enum(STORAGE_DRIVERS).optional(),
  JOB_QUEUE_DRIVER: z.enum(STORAGE_DRIVERS).optional(),
  CACHE_DRIVER: z.enum(STORAGE_DRIVERS).optional(),
  FEATURE_STORE_DRIVER: z.enum(STORAGE_DRIVERS).optional(),
  VECTOR_INDEX_DRIVER: z.enum(STORAGE_DRIVERS).optional(),
  KAFKA_TOPIC_BEHAVIORS: z.string().includes('{tenant_id}', { message: 'must contain {tenant_id}' }).default('user-behaviors-{tenant_id}'),
  KAFKA_TOPIC_ITEMS: z.string().includes('{tenant_id}', { message: 'must contain {tenant_id}' }).default('item-events-{tenant_id}'),
  SCHEDULER_TIMEZONE: z.string().min(1).default('UTC'),
  /** Largest accepted request body. */
  HTTP_BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/).default('5mb'),
  RECOMMEND_MAX_COUNT: z.coerce.number().int().min(1).max(1000).default(200),
  // Cluster backends: the existing deployment's variable names.
  MONGODB_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URL').optional(),
  MONGODB_DATABASE: z.string().min(1).default('lemo'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  KAFKA_BOOTSTRAP_SERVERS: z.string().min(1).optional(),
  KAFKA_CLIENT_ID: z.string().min(1).default('lemo-recommender'),
  MILVUS_HOST: z.string().min(1).optional(),
  MILVUS_PORT: port.default(19530),
  MILVUS_USER: z.string().optional(),
  MILVUS_PASSWORD: z.string().optional(),
  CLICKHOUSE_HOST: z.string().min(1).optional(),
  CLICKHOUSE_PORT: port.default(8123),
  CLICKHOUSE_DATABASE: z.string().min(1).default('lemo'),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
});

export type Env = z.infer<typeof envSchema>;
export const KNOWN_ENV_VARS = Object.keys(envSchema.shape) as Array<keyof Env>;
