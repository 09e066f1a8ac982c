import type { DRIVER_CHOICES, PortGroup, Profile } from './config.schema';

export type StorageDrivers = { [G in PortGroup]: (typeof DRIVER_CHOICES)[G][number] };

/** Endpoints of the cluster backends; undefined where the environment names none. */
export interface BackendEndpoints {
  mongodb?: { url: string; database: string; serverSelectionTimeoutMs?: number };
  redis?: { url: string };
  kafka?: { brokers: string[]; clientId: string; partitions: number; replicationFactor: number };
  milvus?: { address: string; username?: string; password?: string };
  clickhouse?: { url: string; database: string; username: string; password: string; retentionDays: number };
}

/** What the background apps take from the environment (worker concurrency, beat schedule overrides). */
export interface BackgroundConfig {
  /** Jobs a worker process runs at once, per queue name. */
  workerConcurrency: Readonly<Record<'default' | 'model_training' | 'item_processing' | 'user_profile', number>>;
  /** Schedule name → cron expression or "off", over the built-in defaults. */
  beatSchedules: Readonly<Record<string, string>>;
  /** Bull's job locks: a job whose worker died runs again once its lock lapsed, found within the stalled interval. */
  jobLocks: Readonly<{ lockDurationMs: number; stalledIntervalMs: number }>;
  /** The streams app's batching: a sink batch is written at `batchMaxRows` rows or after `batchMaxWaitMs`; `consumerConcurrency` bus batches at once. */
  streams: Readonly<{ batchMaxRows: number; batchMaxWaitMs: number; consumerConcurrency: number }>;
  /** The consumer app: publish a result message per item-events message (ITEM_EVENTS_PUBLISH_RESULTS); write ingestion reports every reportIntervalMs (ITEM_EVENTS_REPORT_INTERVAL_MS). */
  itemEvents: Readonly<{ publishResults: boolean; reportIntervalMs: number }>;
  /** Who writes accepted events' real-time serving features: the API inline, or the streams app's serving-features job (SERVING_FEATURES_WRITER). */
  servingFeaturesWriter: 'api' | 'streams';
}

export const DEFAULT_BACKGROUND_CONFIG: BackgroundConfig = {
  workerConcurrency: { default: 1, model_training: 1, item_processing: 2, user_profile: 1 },
  beatSchedules: {},
  jobLocks: { lockDurationMs: 30_000, stalledIntervalMs: 30_000 },
  streams: { batchMaxRows: 1000, batchMaxWaitMs: 5000, consumerConcurrency: 8 },
  itemEvents: { publishResults: false, reportIntervalMs: 60_000 },
  servingFeaturesWriter: 'api',
};

/** The model-server: where the api and grpc apps reach it, and how it serves (MODEL_SERVER_* variables). */
export interface ModelServerConfig {
  /** Base URL the api ranks through; undefined = rank in-process. */
  url?: string;
  /** Internal token the model-server requires and its clients send; undefined = none. */
  token?: string;
  timeoutMs: number;
  pollMs: number;
  maxLoaded: number;
}

export const DEFAULT_MODEL_SERVER_CONFIG: ModelServerConfig = { timeoutMs: 300, pollMs: 5000, maxLoaded: 64 };

/**
 * The validated configuration, built once at boot. It is a class so it can be
 * injected by type; nothing else in the code base reads process.env.
 */
export class AppConfig {
  constructor(
    readonly profile: Profile,
    readonly environment: 'development' | 'production' | 'test',
    readonly serviceName: string,
    readonly http: { host: string; port: number; bodyLimit: string },
    readonly grpc: { host: string; port: number },
    readonly healthPort: number,
    readonly dataDir: string,
    readonly logLevel: string,
    readonly auth: { mode: 'api-key' | 'gateway'; adminApiKey: string | undefined },
    readonly vectorDimension: number,
    readonly demoSeed: boolean,
    readonly drivers: StorageDrivers,
    readonly topics: { behaviors: string; items: string },
    readonly schedulerTimezone: string,
    readonly recommendMaxCount: number,
    readonly backends: BackendEndpoints = {},
    /** Prefix that keeps deployments sharing the cluster servers apart ('' for none). */
    readonly storageNamespace = '',
    readonly background: BackgroundConfig = DEFAULT_BACKGROUND_CONFIG,
    readonly modelServer: ModelServerConfig = DEFAULT_MODEL_SERVER_CONFIG,
  ) {}

  /** A copy with another platform admin key (the all-in-one generates one when none is configured). */
  withAdminKey(adminApiKey: string): AppConfig {
    const copy = Object.create(AppConfig.prototype) as AppConfig;
    return Object.assign(copy, this, { auth: { ...this.auth, adminApiKey } });
  }
}
