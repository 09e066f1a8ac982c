import type { OnApplicationShutdown } from '@nestjs/common';
import type { DatasetRepository, ExperimentRepository, ModelRepository, ScenarioRepository } from '@lemo/domain';
import { createConnection, type Connection } from 'mongoose';
import { guarded, toDomainError } from './connection/mongo-errors';
import { MongoModelArtifactStore } from './models/model-artifact-store.adapter';
import { MongoIngestionReports } from './analytics/ingestion-reports.adapter';
import { MongoApiKeyRepository } from './documents/api-key-repository.adapter';
import {
  createDatasetRepository,
  createExperimentRepository,
  createModelRepository,
  createScenarioRepository,
} from './documents/document-repositories.adapter';
import { MongoItemRepository } from './documents/item-repository.adapter';
import { MongoTemplateRepository } from './documents/template-repository.adapter';
import { MongoTenantRepository } from './documents/tenant-repository.adapter';
import { MongoTrackingSchemaRepository } from './documents/tracking-schema-repository.adapter';
import { MongoUserRepository } from './documents/user-repository.adapter';
import { MongoEventStore } from './events/event-store.adapter';
import { MongoHealthIndicator } from './health/mongo-health.adapter';
import { checkOptions, DEFAULT_APPENDED_SETTLE_MS, DEFAULT_SERVER_SELECTION_TIMEOUT_MS, type MongoStorageOptions } from './mongo-storage.options';

/**
 * Every MongoDB adapter over one dedicated mongoose connection (never the
 * global default one, so the app may hold connections to other databases).
 * The Nest module exposes each as its port; tests and tools may open one directly.
 */
export class MongoStorage implements OnApplicationShutdown {
  readonly tenants: MongoTenantRepository;
  readonly apiKeys: MongoApiKeyRepository;
  readonly scenarios: ScenarioRepository;
  readonly experiments: ExperimentRepository;
  readonly models: ModelRepository;
  readonly datasets: DatasetRepository;
  readonly templates: MongoTemplateRepository;
  readonly items: MongoItemRepository;
  readonly users: MongoUserRepository;
  readonly trackingSchemas: MongoTrackingSchemaRepository;
  readonly events: MongoEventStore;
  readonly artifacts: MongoModelArtifactStore;
  readonly ingestionReports: MongoIngestionReports;
  readonly health: MongoHealthIndicator;
  private closing: Promise<void> | null = null;

  private constructor(
    readonly connection: Connection,
    appendedSettleMs: number,
  ) {
    this.tenants = new MongoTenantRepository(connection);
    this.apiKeys = new MongoApiKeyRepository(connection);
    this.scenarios = createScenarioRepository(connection);
    this.experiments = createExperimentRepository(connection);
    this.models = createModelRepository(connection);
    this.datasets = createDatasetRepository(connection);
    this.templates = new MongoTemplateRepository(connection);
    this.items = new MongoItemRepository(connection);
    this.users = new MongoUserRepository(connection);
    this.trackingSchemas = new MongoTrackingSchemaRepository(connection);
    this.events = new MongoEventStore(connection, appendedSettleMs);
    this.artifacts = new MongoModelArtifactStore(connection);
    this.ingestionReports = new MongoIngestionReports(connection);
    this.health = new MongoHealthIndicator(connection);
  }

  /** Connects, then creates the indexes; fails with UNAVAILABLE when no server answers in time. */
  static async open(options: MongoStorageOptions): Promise<MongoStorage> {
    checkOptions(options);
    const connection = createConnection(options.url, {
      dbName: options.database,
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? DEFAULT_SERVER_SELECTION_TIMEOUT_MS,
      ...(options.maxPoolSize !== undefined && { maxPoolSize: options.maxPoolSize }),
      // Fail fast instead of queueing operations while disconnected: callers see UNAVAILABLE and can retry or degrade.
      bufferCommands: false,
      autoIndex: false,
      autoCreate: false,
    });
    try {
      await connection.asPromise();
    } catch (error) {
      await connection.close(true).catch(() => undefined);
      throw toDomainError(error);
    }
    const storage = new MongoStorage(connection, options.appendedSettleMs ?? DEFAULT_APPENDED_SETTLE_MS);
    try {
      await storage.ensureIndexes();
    } catch (error) {
      await storage.close();
      throw error;
    }
    return storage;
  }

  /**
   * Creates the indexes every collection's schema declares. Idempotent (an
   * existing index with the same keys and options is left alone), so every
   * process runs it at start. Mongoose sends one createIndex per index, which
   * matters: FerretDB v1.24 drops the connection (a recovered panic) when one
   * createIndexes command names several indexes that all exist already. One
   * collection at a time: FerretDB's SQLite backend has a single writer per
   * database, so parallel index builds would only queue.
   */
  async ensureIndexes(): Promise<void> {
    for (const name of this.connection.modelNames()) {
      await guarded(() => this.connection.model(name).createIndexes());
    }
    await guarded(() => this.artifacts.ensureIndexes());
    await this.ingestionReports.ensureIndexes();
  }

  /** Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.connection.close();
    return this.closing;
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}
