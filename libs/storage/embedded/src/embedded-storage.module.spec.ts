import { Global, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as domain from '@lemo/domain';
import { EventBus, ItemRepository, VectorIndex } from '@lemo/domain';
import { eventually } from '@lemo/domain/testing';
import { Metrics } from '@lemo/platform-observability';
import { EmbeddedStorage, EmbeddedStorageModule } from './index';

/** Named here, not taken from the module, so that a port the module forgets fails this test. */
// prettier-ignore
const PORT_NAMES = [
  'TenantRepository', 'ApiKeyRepository', 'ScenarioRepository', 'ExperimentRepository', 'ModelRepository', 'DatasetRepository',
  'TemplateRepository', 'ItemRepository', 'UserRepository', 'TrackingSchemaRepository', 'EventStore', 'AnalyticsStore', 'EventBus',
  'JobQueue', 'Scheduler', 'Cache', 'FeatureStore', 'VectorIndex', 'HealthIndicator',
] as const;
const PORTS = PORT_NAMES.map((name) => domain[name]);

/** A feature module that injects ports without importing the storage module (it is global). */
@Injectable()
class CatalogService {
  constructor(
    readonly items: ItemRepository,
    readonly vectors: VectorIndex,
  ) {}
}

@Module({ providers: [CatalogService] })
class CatalogModule {}

const CONFIG = Symbol('CONFIG');

@Module({ providers: [{ provide: CONFIG, useValue: { dir: ':memory:', dimension: 16 } }], exports: [CONFIG] })
class ConfigModule {}

describe('EmbeddedStorageModule', () => {
  it('provides every port from one embedded storage, to modules that do not import it', async () => {
    @Module({ imports: [EmbeddedStorageModule.forRoot({ dataDir: ':memory:', vectorDimension: 8 }), CatalogModule] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const storage = app.get(EmbeddedStorage);
    for (const port of PORTS) {
      const adapter = app.get(port);
      expect(Object.values(storage)).toContain(adapter);
    }
    const catalog = app.get(CatalogService);
    expect(catalog.items).toBe(storage.items);
    expect(catalog.vectors.dimension).toBe(8);
    await app.close();
  });

  it('builds its options asynchronously from injected config', async () => {
    @Module({
      imports: [
        EmbeddedStorageModule.forRootAsync({
          imports: [ConfigModule],
          inject: [CONFIG],
          useFactory: async (config: { dir: string; dimension: number }) => ({ dataDir: config.dir, vectorDimension: config.dimension }),
        }),
      ],
    })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    expect(app.get(VectorIndex).dimension).toBe(16);
    await app.close();
  });

  it('closes the database on application shutdown', async () => {
    @Module({ imports: [EmbeddedStorageModule.forRoot({ dataDir: ':memory:', vectorDimension: 8 })] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const storage = app.get(EmbeddedStorage);
    await app.get(ItemRepository).count('acme');
    await app.close();
    expect(storage.db.isOpen).toBe(false);
    await expect(app.get(ItemRepository).count('acme')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('provides only the selected ports, leaving the others to another backend', async () => {
    @Module({ imports: [EmbeddedStorageModule.forRoot({ dataDir: ':memory:', vectorDimension: 8 }, { ports: [domain.ItemRepository, domain.EventStore] })] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    expect(app.get(domain.EventStore)).toBe(app.get(EmbeddedStorage).events);
    expect(() => app.get(domain.Cache)).toThrow();
    await app.close();
  });

  it("exports the bus consumer lag on the app's Metrics registry when it serves the EventBus", async () => {
    @Global()
    @Module({ providers: [{ provide: Metrics, useValue: new Metrics('embedded-spec') }], exports: [Metrics] })
    class MetricsModule {}
    @Module({ imports: [MetricsModule, EmbeddedStorageModule.forRoot({ dataDir: ':memory:', vectorDimension: 8 })] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const bus = app.get(EventBus);
    await bus.subscribe(/^user-behaviors-/, 'analytics-ingestion', async () => undefined);
    await bus.publish([{ topic: 'user-behaviors-acme', key: 'u1', value: {} }]);
    const registry = app.get(Metrics).registry;
    await eventually(async () =>
      expect(await registry.metrics()).toContain(
        'lemo_bus_consumer_lag{group="analytics-ingestion",topic="user-behaviors-acme",partition="0",service="embedded-spec"} 0',
      ),
    );
    await app.close();
  });

  it('refuses invalid options at start', async () => {
    @Module({ imports: [EmbeddedStorageModule.forRoot({ dataDir: ':memory:', vectorDimension: 0 })] })
    class AppModule {}
    await expect(NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
