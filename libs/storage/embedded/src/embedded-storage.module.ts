import { Module, type DynamicModule, type FactoryProvider, type ModuleMetadata, type Provider } from '@nestjs/common';
import {
  AnalyticsStore,
  ApiKeyRepository,
  Cache,
  DatasetRepository,
  EventBus,
  EventStore,
  ExperimentRepository,
  FeatureStore,
  HealthIndicator,
  IngestionReports,
  ItemRepository,
  JobQueue,
  ModelArtifactStore,
  ModelRepository,
  RealtimeCounters,
  ScenarioRepository,
  Scheduler,
  TemplateRepository,
  TenantRepository,
  TrackingSchemaRepository,
  UserRepository,
  VectorIndex,
} from '@lemo/domain';
import { Metrics, registerConsumerLagMetric } from '@lemo/platform-observability';
import { EmbeddedStorage } from './embedded-storage';
import { EMBEDDED_STORAGE_OPTIONS, type EmbeddedStorageOptions } from './embedded-storage.options';

/** Which port tokens to provide (default: all), so that another backend can serve the rest. */
export interface PortSelection {
  ports?: readonly PortToken[];
}

export interface EmbeddedStorageAsyncOptions extends PortSelection {
  imports?: ModuleMetadata['imports'];
  inject?: FactoryProvider['inject'];
  useFactory: FactoryProvider<EmbeddedStorageOptions | Promise<EmbeddedStorageOptions>>['useFactory'];
}

export type PortToken = abstract new (...args: never[]) => unknown;

/** Each port token and the adapter that serves it. */
const PORT_ADAPTERS: ReadonlyArray<[token: PortToken, adapter: (storage: EmbeddedStorage) => unknown]> = [
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
  [AnalyticsStore, (storage) => storage.analytics],
  [IngestionReports, (storage) => storage.ingestionReports],
  [EventBus, (storage) => storage.eventBus],
  [JobQueue, (storage) => storage.jobQueue],
  [Scheduler, (storage) => storage.scheduler],
  [Cache, (storage) => storage.cache],
  [FeatureStore, (storage) => storage.features],
  [RealtimeCounters, (storage) => storage.counters],
  [VectorIndex, (storage) => storage.vectors],
  [ModelArtifactStore, (storage) => storage.artifacts],
  [HealthIndicator, (storage) => storage.health],
];

const EMBEDDED_BUS_METRICS = Symbol('EMBEDDED_BUS_METRICS');

/** Every port the embedded storage can serve. */
export const EMBEDDED_PORTS: readonly PortToken[] = PORT_ADAPTERS.map(([token]) => token);

/**
 * Serves every domain port from the embedded adapters (SQLite, HNSW,
 * in-process bus, queue, scheduler and cache). Global: feature modules inject
 * the ports without importing this module. Everything is closed on
 * application shutdown (EmbeddedStorage.onApplicationShutdown). When it serves
 * the EventBus and the app has a Metrics provider, the bus's consumer lag is
 * exported as `lemo_bus_consumer_lag{group,topic,partition}`.
 */
@Module({})
export class EmbeddedStorageModule {
  static forRoot(options: EmbeddedStorageOptions, selection: PortSelection = {}): DynamicModule {
    return EmbeddedStorageModule.build({ provide: EMBEDDED_STORAGE_OPTIONS, useValue: options }, [], selection);
  }

  static forRootAsync(options: EmbeddedStorageAsyncOptions): DynamicModule {
    const optionsProvider: Provider = { provide: EMBEDDED_STORAGE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] };
    return EmbeddedStorageModule.build(optionsProvider, options.imports ?? [], options);
  }

  private static build(optionsProvider: Provider, imports: NonNullable<ModuleMetadata['imports']>, selection: PortSelection): DynamicModule {
    const wanted = new Set(selection.ports ?? EMBEDDED_PORTS);
    const selected = PORT_ADAPTERS.filter(([token]) => wanted.has(token));
    const storage: Provider = {
      provide: EmbeddedStorage,
      useFactory: (options: EmbeddedStorageOptions) => EmbeddedStorage.open(options),
      inject: [EMBEDDED_STORAGE_OPTIONS],
    };
    const busMetrics: Provider[] = wanted.has(EventBus)
      ? [
          {
            provide: EMBEDDED_BUS_METRICS,
            useFactory: (embedded: EmbeddedStorage, metrics?: Metrics) =>
              metrics ? registerConsumerLagMetric(metrics.registry, () => embedded.eventBus.consumerLag()) : false,
            inject: [EmbeddedStorage, { token: Metrics, optional: true }],
          },
        ]
      : [];
    return {
      module: EmbeddedStorageModule,
      global: true,
      imports,
      providers: [
        optionsProvider,
        storage,
        ...selected.map(([token, adapter]) => ({ provide: token, useFactory: adapter, inject: [EmbeddedStorage] })),
        ...busMetrics,
      ],
      exports: [EmbeddedStorage, ...selected.map(([token]) => token)],
    };
  }
}
