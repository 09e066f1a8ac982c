import { z } from 'zod';

/**
 * Every environment variable the platform reads, with its default and meaning.
 * Names are kept from the existing deployment wherever one existed, so an
 * operator's ConfigMap keeps working. The README's config table mirrors this.
 */
const port = z.coerce.number().int().min(1).max(65_535);
const concurrency = z.coerce.number().int().min(1).max(64);

/** True for a time zone the runtime knows (what the cron parser will accept). */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const PROFILES = ['embedded', 'cluster'] as const;
export type Profile = (typeof PROFILES)[number];

/** The driver choices of each group of ports; the first is the embedded one. */
export const DRIVER_CHOICES = {
  documents: ['embedded', 'mongodb'],
  eventBus: ['embedded', 'kafka'],
  jobQueue: ['embedded', 'bull'],
  cache: ['embedded', 'redis'],
  featureStore: ['embedded', 'redis'],
  vectorIndex: ['embedded', 'milvus'],
  analytics: ['embedded', 'clickhouse'],
} as const;
export type PortGroup = keyof typeof DRIVER_CHOICES;

/** What PROFILE=cluster selects for each group. */
export const CLUSTER_DRIVERS = {
  documents: 'mongodb',
  eventBus: 'kafka',
  jobQueue: 'bull',
  cache: 'redis',
  featureStore: 'redis',
  vectorIndex: 'milvus',
  analytics: 'clickhouse',
} as const satisfies { [G in PortGroup]: (typeof DRIVER_CHOICES)[G][number] };

/** The environment variable that picks each group's driver on its own. */
export const DRIVER_VARIABLES = {
  documents: 'DOCUMENT_STORE_DRIVER',
  eventBus: 'EVENT_BUS_DRIVER',
  jobQueue: 'JOB_QUEUE_DRIVER',
  cache: 'CACHE_DRIVER',
  featureStore: 'FEATURE_STORE_DRIVER',
  vectorIndex: 'VECTOR_INDEX_DRIVER',
  analytics: 'ANALYTICS_DRIVER',
} as const satisfies Record<PortGroup, string>;

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
  DOCUMENT_STORE_DRIVER: z.enum(DRIVER_CHOICES.documents).optional(),
  EVENT_BUS_DRIVER: z.enum(DRIVER_CHOICES.eventBus).optional(),
  JOB_QUEUE_DRIVER: z.enum(DRIVER_CHOICES.jobQueue).optional(),
  CACHE_DRIVER: z.enum(DRIVER_CHOICES.cache).optional(),
  FEATURE_STORE_DRIVER: z.enum(DRIVER_CHOICES.featureStore).optional(),
  VECTOR_INDEX_DRIVER: z.enum(DRIVER_CHOICES.vectorIndex).optional(),
  ANALYTICS_DRIVER: z.enum(DRIVER_CHOICES.analytics).optional(),
  /** Retention (TTL) of analytics rows on ClickHouse. */
  ANALYTICS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  /** Partitions and replication of topics the Kafka bus creates (3 on a production cluster). */
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(10).default(1),
  KAFKA_TOPIC_BEHAVIORS: z.string().includes('{tenant_id}', { message: 'must contain {tenant_id}' }).default('user-behaviors-{tenant_id}'),
  KAFKA_TOPIC_ITEMS: z.string().includes('{tenant_id}', { message: 'must contain {tenant_id}' }).default('item-events-{tenant_id}'),
  /** Time zone of the beat schedules (an IANA name such as Europe/Berlin); checked at boot so a typo never silently means UTC. */
  SCHEDULER_TIMEZONE: z
    .string()
    .min(1)
    .refine(isTimeZone, { message: 'must be an IANA time zone such as UTC or Europe/Berlin' })
    .default('UTC'),
  /**
   * Per-deployment overrides of the beat schedules, a JSON object of schedule
   * name → cron expression (five fields, or six with seconds) or "off", e.g.
   * {"item_similarity":"*\/30 * * * *","recall_training":"off"}. Names and
   * expressions are checked when beat starts (the schedules live in the application).
   */
  BEAT_SCHEDULES: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of schedule name → cron expression or "off"' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string(), z.string().min(1), { error: 'must be a JSON object of schedule name → cron expression or "off"' }))
    .default({}),
  /** Jobs each worker process runs at once, per queue (a queue's jobs beyond it wait). */
  WORKER_CONCURRENCY_DEFAULT: concurrency.default(1),
  WORKER_CONCURRENCY_MODEL_TRAINING: concurrency.default(1),
  WORKER_CONCURRENCY_ITEM_PROCESSING: concurrency.default(2),
  /** The user_profile queue: one scenario's profiles job is a long run of small reads and writes, so one at a time by default. */
  WORKER_CONCURRENCY_USER_PROFILE: concurrency.default(1),
  /**
   * Bull (cluster profile): how long a worker's lock on a running job lasts unless renewed, and how often
   * workers look for jobs whose lock lapsed (their process died) to run them again. Bull's defaults; lower
   * values re-run a dead worker's job sooner, but a handler that blocks its event loop longer than the lock
   * duration would be re-run while still running.
   */
  BULL_LOCK_DURATION_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  BULL_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).max(3_600_000).default(30_000),
  /** The streams app's ClickHouse sink inserts a batch once it holds this many rows, or once its oldest row waited STREAMS_BATCH_MAX_WAIT_MS. */
  STREAMS_BATCH_MAX_ROWS: z.coerce.number().int().min(1).max(100_000).default(1000),
  STREAMS_BATCH_MAX_WAIT_MS: z.coerce.number().int().min(10).max(600_000).default(5000),
  /** Bus batches (Kafka partitions) a stream job holds at once, so one sink batch gathers rows of several partitions. */
  STREAMS_CONSUMER_CONCURRENCY: concurrency.default(8),
  /**
   * Who writes the real-time serving features of accepted events (hot scores, users' recent items, their
   * cache generation): `api` as it accepts them (visible to the very next request; the embedded default),
   * or `streams`, the streams app's serving-features job from the behaviour topic (the API only publishes;
   * the work scales with stream partitions). Set the same value on the api, grpc and streams apps.
   */
  SERVING_FEATURES_WRITER: z.enum(['api', 'streams']).default('api'),
  /** The consumer app publishes a result message per item-events message to `item-events-{tenant_id}.results` (counts, failed items). */
  ITEM_EVENTS_PUBLISH_RESULTS: bool.default(false),
  /** The consumer app writes each tenant's ingestion report (messages/s, items/s, dead letters) to the document store this often, and once more when it stops. */
  ITEM_EVENTS_REPORT_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),
  /** Largest accepted request body. */
  HTTP_BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/).default('5mb'),
  RECOMMEND_MAX_COUNT: z.coerce.number().int().min(1).max(1000).default(200),
  /**
   * Keeps deployments (or test runs) that share the cluster servers apart: prefixes
   * Redis keys, Bull queues, Kafka topics and groups, and the Milvus collection.
   */
  STORAGE_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9_]*$/, 'may contain only lowercase letters, digits and _')
    .max(40)
    .default(''),
  // Cluster backends: the existing deployment's variable names.
  MONGODB_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URL').optional(),
  MONGODB_DATABASE: z.string().min(1).default('lemo'),
  /**
   * How long a MongoDB operation (and the connection at start) waits for a reachable server before failing
   * UNAVAILABLE; the adapter's 5 s when unset. Several apps starting at once on a small machine may need more.
   */
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).optional(),
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
  // Kratos-style etcd registration of the gRPC app; parsed in detail by apps/grpc (registration-settings.ts).
  ETCD_ENDPOINTS: z.string().optional(),
  ETCD_KEY_PREFIX: z.string().optional(),
  ETCD_LEASE_TTL_SECONDS: z.string().optional(),
  ETCD_ADVERTISE_ADDRESS: z.string().optional(),
  ETCD_INSTANCE_ID: z.string().optional(),
  SERVICE_VERSION: z.string().optional(),
  /** The model-server the api and grpc apps rank through (e.g. http://model-server:10073); unset = rank in-process. */
  MODEL_SERVER_URL: z.string().regex(/^https?:\/\/[^\s/]+\/?$/, 'must be an http(s)://host:port URL').optional(),
  /** Shared secret of the model-server's internal API: required by the model-server, sent by its clients, when set. */
  MODEL_SERVER_TOKEN: z.string().min(16, 'MODEL_SERVER_TOKEN must be at least 16 characters').optional(),
  /** Time budget of one ranking call to the model-server before the caller ranks in-process instead. */
  MODEL_SERVER_TIMEOUT_MS: z.coerce.number().int().min(10).max(10_000).default(300),
  /** How often the model-server re-reads the deployed versions of the models it serves (hot-swap delay). */
  MODEL_SERVER_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(5000),
  /** Models (tenant × scenario × algorithm × version) a model-server keeps loaded; the least recently used go first. */
  MODEL_SERVER_MAX_MODELS: z.coerce.number().int().min(1).max(10_000).default(64),
});

export type Env = z.infer<typeof envSchema>;
export const KNOWN_ENV_VARS = Object.keys(envSchema.shape) as Array<keyof Env>;
