import type { OnApplicationShutdown } from '@nestjs/common';
import type { DatasetRepository, ExperimentRepository, ModelRepository, ScenarioRepository } from '@lemo/domain';
import {
  createDatasetRepository,
  createExperimentRepository,
  createModelRepository,
  createScenarioRepository,
} from './documents/document-repositories.adapter';
import { SqliteAnalyticsStore } from './analytics/analytics-store.adapter';
import { SqliteIngestionReports } from './analytics/ingestion-reports.adapter';
import { SqliteApiKeyRepository } from './documents/api-key-repository.adapter';
import { SqliteItemRepository } from './documents/item-repository.adapter';
import { SqliteTemplateRepository } from './documents/template-repository.adapter';
import { SqliteTenantRepository } from './documents/tenant-repository.adapter';
import { SqliteTrackingSchemaRepository } from './documents/tracking-schema-repository.adapter';
import { SqliteUserRepository } from './documents/user-repository.adapter';
import { checkOptions, vectorDirectory, type EmbeddedStorageOptions } from './embedded-storage.options';
import { DEFAULT_EVENT_BUS_OPTIONS, EmbeddedEventBus } from './events/event-bus.adapter';
import { SqliteEventStore } from './events/event-store.adapter';
import { InMemoryCache, DEFAULT_CACHE_OPTIONS } from './features/cache.adapter';
import { SqliteFeatureStore } from './features/feature-store.adapter';
import { SqliteRealtimeCounters } from './features/realtime-counters.adapter';
import { SqliteHealthIndicator } from './health/sqlite-health.adapter';
import { DEFAULT_JOB_QUEUE_OPTIONS, EmbeddedJobQueue } from './jobs/job-queue.adapter';
import { EmbeddedScheduler } from './jobs/scheduler.adapter';
import { SqliteDatabase } from './sqlite/sqlite-database';
import { HnswVectorIndex } from './vectors/vector-index.adapter';
import { SqliteModelArtifactStore } from './models/model-artifact-store.adapter';

const DEFAULT_VECTOR_FLUSH_MS = 60_000;

/**
 * Every embedded adapter over one SQLite connection. The Nest module exposes
 * each as its port; tests and tools may also open one directly.
 */
export class EmbeddedStorage implements OnApplicationShutdown {
  readonly tenants: SqliteTenantRepository;
  readonly apiKeys: SqliteApiKeyRepository;
  readonly scenarios: ScenarioRepository;
  readonly experiments: ExperimentRepository;
  readonly models: ModelRepository;
  readonly datasets: DatasetRepository;
  readonly templates: SqliteTemplateRepository;
  readonly items: SqliteItemRepository;
  readonly users: SqliteUserRepository;
  readonly trackingSchemas: SqliteTrackingSchemaRepository;
  readonly events: SqliteEventStore;
  readonly analytics: SqliteAnalyticsStore;
  readonly ingestionReports: SqliteIngestionReports;
  readonly eventBus: EmbeddedEventBus;
  readonly jobQueue: EmbeddedJobQueue;
  readonly scheduler: EmbeddedScheduler;
  readonly cache: InMemoryCache;
  readonly features: SqliteFeatureStore;
  readonly counters: SqliteRealtimeCounters;
  readonly vectors: HnswVectorIndex;
  readonly artifacts: SqliteModelArtifactStore;
  readonly health: SqliteHealthIndicator;
  private closing: Promise<void> | null = null;

  private constructor(
    readonly db: SqliteDatabase,
    options: EmbeddedStorageOptions,
  ) {
    this.tenants = new SqliteTenantRepository(db);
    this.apiKeys = new SqliteApiKeyRepository(db);
    this.scenarios = createScenarioRepository(db);
    this.experiments = createExperimentRepository(db);
    this.models = createModelRepository(db);
    this.datasets = createDatasetRepository(db);
    this.templates = new SqliteTemplateRepository(db);
    this.items = new SqliteItemRepository(db);
    this.users = new SqliteUserRepository(db);
    this.trackingSchemas = new SqliteTrackingSchemaRepository(db);
    this.events = new SqliteEventStore(db);
    this.analytics = new SqliteAnalyticsStore(db);
    this.ingestionReports = new SqliteIngestionReports(db);
    this.eventBus = new EmbeddedEventBus(db, { ...DEFAULT_EVENT_BUS_OPTIONS, ...options.eventBus });
    this.jobQueue = new EmbeddedJobQueue(db, { ...DEFAULT_JOB_QUEUE_OPTIONS, ...options.jobQueue });
    this.scheduler = new EmbeddedScheduler(db);
    this.cache = new InMemoryCache({ maxEntries: options.cacheMaxEntries ?? DEFAULT_CACHE_OPTIONS.maxEntries });
    this.features = new SqliteFeatureStore(db);
    this.counters = new SqliteRealtimeCounters(db);
    this.artifacts = new SqliteModelArtifactStore(db);
    this.vectors = new HnswVectorIndex(db, {
      dimension: options.vectorDimension,
      directory: vectorDirectory(options.dataDir),
      flushIntervalMs: options.vectorFlushIntervalMs ?? DEFAULT_VECTOR_FLUSH_MS,
    });
    this.health = new SqliteHealthIndicator(db);
  }

  static open(options: EmbeddedStorageOptions): EmbeddedStorage {
    checkOptions(options);
    return new EmbeddedStorage(SqliteDatabase.open(options.dataDir), options);
  }

  /**
   * Stops producers of work before what they write to: the scheduler, then the
   * queue and bus (waiting for handlers in flight), then flushes the vector
   * graphs, then closes the database. Safe to call more than once.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.scheduler.close();
      await Promise.all([this.jobQueue.close(), this.eventBus.close()]);
      this.vectors.close();
      this.db.close();
    })();
    return this.closing;
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}
