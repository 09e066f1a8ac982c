import { DynamicModule, Module } from '@nestjs/common';
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
  type DependencyHealth,
} from '@lemo/domain';
import { AppConfig, type PortGroup, type StorageDrivers } from '@lemo/platform-config';
import { EmbeddedStorageModule } from '@lemo/storage-embedded';
import { MongoStorageModule } from '@lemo/storage-mongo';
import { RedisStorageModule } from '@lemo/storage-redis';
import { BullStorageModule } from '@lemo/storage-bull';
import { KafkaStorageModule } from '@lemo/storage-kafka';
import { MilvusStorageModule } from '@lemo/storage-milvus';
import { ClickHouseStorageModule } from '@lemo/storage-clickhouse';
import { join } from 'node:path';

type PortToken = abstract new (...args: never[]) => unknown;

/** The ports each driver group serves. */
const GROUP_PORTS: Record<PortGroup, PortToken[]> = {
  documents: [
    TenantRepository,
    ApiKeyRepository,
    ScenarioRepository,
    ExperimentRepository,
    ModelRepository,
    DatasetRepository,
    TemplateRepository,
    ItemRepository,
    UserRepository,
    TrackingSchemaRepository,
    EventStore,
    ModelArtifactStore,
    IngestionReports,
  ],
  eventBus: [EventBus],
  jobQueue: [JobQueue, Scheduler],
  cache: [Cache],
  featureStore: [FeatureStore, RealtimeCounters],
  vectorIndex: [VectorIndex],
  analytics: [AnalyticsStore],
};

type Driver = StorageDrivers[PortGroup];

/** Drivers whose module reports on its own server (Bull's Redis is reported by the Redis adapter, when in use). */
const REPORTS_HEALTH: ReadonlySet<Driver> = new Set<Driver>(['embedded', 'mongodb', 'redis', 'kafka', 'milvus', 'clickhouse']);

/** Builds one adapter module serving `ports` (plus its own health indicator, where it has one). */
function adapterModule(driver: Driver, ports: PortToken[], config: AppConfig): DynamicModule {
  const selection = { ports: REPORTS_HEALTH.has(driver) ? [...ports, HealthIndicator] : ports };
  const ns = config.storageNamespace;
  const need = <T>(endpoint: T | undefined): T => {
    // loadConfig has already refused a cluster driver without its endpoint.
    if (endpoint === undefined) throw new Error(`no endpoint configured for the ${driver} driver`);
    return endpoint;
  };
  switch (driver) {
    case 'embedded':
      return EmbeddedStorageModule.forRoot({ dataDir: config.dataDir, vectorDimension: config.vectorDimension }, selection);
    case 'mongodb':
      return MongoStorageModule.forRoot(need(config.backends.mongodb), selection);
    case 'redis':
      return RedisStorageModule.forRoot({ url: need(config.backends.redis).url, keyPrefix: ns ? `${ns}:` : undefined }, selection);
    case 'bull':
      return BullStorageModule.forRoot(
        { redisUrl: need(config.backends.redis).url, prefix: ns ? `${ns}.bull` : undefined, ...config.background.jobLocks },
        selection,
      );
    case 'kafka': {
      const kafka = need(config.backends.kafka);
      const outboxPath = config.dataDir === ':memory:' ? ':memory:' : join(config.dataDir, 'outbox');
      const options = {
        brokers: kafka.brokers,
        clientId: kafka.clientId,
        outboxPath,
        partitions: kafka.partitions,
        replicationFactor: kafka.replicationFactor,
        namespace: ns ? `${ns}.` : '',
      };
      return KafkaStorageModule.forRoot(options, selection);
    }
    case 'milvus':
      return MilvusStorageModule.forRoot(
        { ...need(config.backends.milvus), dimension: config.vectorDimension, collection: ns ? `${ns}_lemo_item_vectors_${config.vectorDimension}d` : undefined },
        selection,
      );
    case 'clickhouse':
      return ClickHouseStorageModule.forRoot(need(config.backends.clickhouse), selection);
  }
}

/** The adapter modules a config needs: one per distinct driver, serving the ports of every group it was chosen for. */
export function adapterModules(config: AppConfig): Array<{ module: DynamicModule; reportsHealth: boolean }> {
  const portsByDriver = new Map<Driver, PortToken[]>();
  for (const group of Object.keys(GROUP_PORTS) as PortGroup[]) {
    const driver = config.drivers[group];
    portsByDriver.set(driver, [...(portsByDriver.get(driver) ?? []), ...GROUP_PORTS[group]]);
  }
  return [...portsByDriver.entries()].map(([driver, ports]) => ({ module: adapterModule(driver, ports, config), reportsHealth: REPORTS_HEALTH.has(driver) }));
}

/**
 * Every adapter module provides HealthIndicator for its own server. Each is
 * imported through a scope module that re-exports its indicator under a
 * token of its own: inside the scope, the imported module's provider wins
 * over the other (global) adapters' ones.
 */
function healthScope(adapter: DynamicModule, index: number): { scope: DynamicModule; token: string } {
  const token = `lemo:adapter-health:${index}`;
  @Module({})
  class AdapterHealthScope {}
  return { token, scope: { module: AdapterHealthScope, imports: [adapter], providers: [{ provide: token, useExisting: HealthIndicator }], exports: [token] } };
}

/** Readiness over every adapter in use. */
export class StorageHealth {
  constructor(private readonly indicators: HealthIndicator[]) {}

  async check(): Promise<DependencyHealth[]> {
    const reports = await Promise.all(
      this.indicators.map((indicator) => indicator.check().catch((error: unknown) => [{ name: indicator.constructor.name, ok: false, detail: String(error) }])),
    );
    return reports.flat();
  }
}

/**
 * Picks the adapter of every port from the validated config: `PROFILE` sets
 * them all, the *_DRIVER variables one group at a time. The switch above is
 * exhaustive over the drivers the config schema allows.
 */
@Module({})
export class StorageModule {
  static forConfig(config: AppConfig): DynamicModule {
    const adapters = adapterModules(config);
    const scopes = adapters.filter((a) => a.reportsHealth).map((adapter, index) => healthScope(adapter.module, index));
    return {
      module: StorageModule,
      global: true,
      imports: [...scopes.map((s) => s.scope), ...adapters.filter((a) => !a.reportsHealth).map((a) => a.module)],
      providers: [{ provide: StorageHealth, inject: scopes.map((s) => s.token), useFactory: (...indicators: HealthIndicator[]) => new StorageHealth(indicators) }],
      exports: [StorageHealth],
    };
  }
}
