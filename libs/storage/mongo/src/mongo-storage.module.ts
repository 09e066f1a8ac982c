import { Module, type DynamicModule, type FactoryProvider, type ModuleMetadata, type Provider } from '@nestjs/common';
import {
  ApiKeyRepository,
  DatasetRepository,
  EventStore,
  ModelArtifactStore,
  ExperimentRepository,
  HealthIndicator,
  IngestionReports,
  ItemRepository,
  ModelRepository,
  ScenarioRepository,
  TemplateRepository,
  TenantRepository,
  TrackingSchemaRepository,
  UserRepository,
} from '@lemo/domain';
import { MongoStorage } from './mongo-storage';
import { MONGO_STORAGE_OPTIONS, type MongoStorageOptions } from './mongo-storage.options';

export type MongoPortToken = abstract new (...args: never[]) => unknown;

/** Which port tokens to provide (default: all of MONGO_PORTS), so that other backends can serve the rest. */
export interface MongoPortSelection {
  ports?: readonly MongoPortToken[];
}

export interface MongoStorageAsyncOptions extends MongoPortSelection {
  imports?: ModuleMetadata['imports'];
  inject?: FactoryProvider['inject'];
  useFactory: FactoryProvider<MongoStorageOptions | Promise<MongoStorageOptions>>['useFactory'];
}

/** Each port token and the adapter that serves it. */
const PORT_ADAPTERS: ReadonlyArray<[token: MongoPortToken, adapter: (storage: MongoStorage) => unknown]> = [
  [TenantRepository, (storage) => storage.tenants],
  [ApiKeyRepository, (storage) => storage.apiKeys],
  [ScenarioRepository, (storage) => storage.scenarios],
  [ExperimentRepository, (storage) => storage.experiments],
  [ModelRepository, (storage) => storage.models],
  [DatasetRepository, (storage) => storage.datasets],
  [TemplateRepository, (storage) => storage.templates],
  [ItemRepository, (storage) => storage.items],
  [UserRepository, (storage) => storage.users],
  [TrackingSchemaRepository, (storage) => storage.trackingSchemas],
  [EventStore, (storage) => storage.events],
  [ModelArtifactStore, (storage) => storage.artifacts],
  [IngestionReports, (storage) => storage.ingestionReports],
  [HealthIndicator, (storage) => storage.health],
];

/** Every port the MongoDB storage can serve. */
export const MONGO_PORTS: readonly MongoPortToken[] = PORT_ADAPTERS.map(([token]) => token);

/**
 * Serves the document repositories, the event store and a health indicator
 * from MongoDB (or FerretDB). Global: feature modules inject the ports without
 * importing this module. The connection opens, and the indexes are created,
 * while the application starts; it closes on application shutdown
 * (MongoStorage.onApplicationShutdown).
 */
@Module({})
export class MongoStorageModule {
  static forRoot(options: MongoStorageOptions, selection: MongoPortSelection = {}): DynamicModule {
    return MongoStorageModule.build({ provide: MONGO_STORAGE_OPTIONS, useValue: options }, [], selection);
  }

  static forRootAsync(options: MongoStorageAsyncOptions): DynamicModule {
    const optionsProvider: Provider = { provide: MONGO_STORAGE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] };
    return MongoStorageModule.build(optionsProvider, options.imports ?? [], options);
  }

  private static build(optionsProvider: Provider, imports: NonNullable<ModuleMetadata['imports']>, selection: MongoPortSelection): DynamicModule {
    const wanted = new Set(selection.ports ?? MONGO_PORTS);
    const unknown = [...wanted].filter((token) => !MONGO_PORTS.includes(token));
    if (unknown.length > 0) throw new Error(`MongoStorageModule cannot serve ${unknown.map((token) => token.name).join(', ')}`);
    const selected = PORT_ADAPTERS.filter(([token]) => wanted.has(token));
    const storage: Provider = {
      provide: MongoStorage,
      useFactory: (options: MongoStorageOptions) => MongoStorage.open(options),
      inject: [MONGO_STORAGE_OPTIONS],
    };
    return {
      module: MongoStorageModule,
      global: true,
      imports,
      providers: [optionsProvider, storage, ...selected.map(([token, adapter]) => ({ provide: token, useFactory: adapter, inject: [MongoStorage] }))],
      exports: [MongoStorage, ...selected.map(([token]) => token)],
    };
  }
}
