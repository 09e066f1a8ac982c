import { Module, type DynamicModule, type FactoryProvider, type ModuleMetadata, type Provider } from '@nestjs/common';
import { AnalyticsStore, HealthIndicator } from '@lemo/domain';
import { ClickHouseStorage } from './clickhouse-storage';
import { CLICKHOUSE_STORAGE_OPTIONS, type ClickHouseStorageOptions } from './clickhouse-storage.options';
import { ClickHouseHealthIndicator } from './health/clickhouse-health.indicator';

/** A port's abstract class, the DI token its adapter is provided under. */
export type ClickHousePortToken = abstract new (...args: never[]) => unknown;

/** Which port tokens to provide (default: all of CLICKHOUSE_PORTS), so that other backends can serve the rest. */
export interface ClickHousePortSelection {
  ports?: readonly ClickHousePortToken[];
}

export interface ClickHouseStorageAsyncOptions extends ClickHousePortSelection {
  imports?: ModuleMetadata['imports'];
  inject?: FactoryProvider['inject'];
  useFactory: FactoryProvider<ClickHouseStorageOptions | Promise<ClickHouseStorageOptions>>['useFactory'];
}

const PORT_ADAPTERS: ReadonlyArray<[token: ClickHousePortToken, adapter: (storage: ClickHouseStorage) => unknown]> = [
  [AnalyticsStore, (storage) => storage.analytics],
  [HealthIndicator, (storage) => storage.health],
];

/** Every port the ClickHouse storage can serve. */
export const CLICKHOUSE_PORTS: readonly ClickHousePortToken[] = PORT_ADAPTERS.map(([token]) => token);

/**
 * Serves the AnalyticsStore (and readiness under HealthIndicator) from
 * ClickHouse. Global: feature modules inject the ports without importing it.
 * The schema is migrated while the application starts; the client is closed
 * on application shutdown (ClickHouseStorage.onApplicationShutdown).
 * ClickHouseHealthIndicator is always provided by its class, so a composite
 * readiness check can include it when another backend serves HealthIndicator.
 */
@Module({})
export class ClickHouseStorageModule {
  static forRoot(options: ClickHouseStorageOptions, selection: ClickHousePortSelection = {}): DynamicModule {
    return ClickHouseStorageModule.build({ provide: CLICKHOUSE_STORAGE_OPTIONS, useValue: options }, [], selection);
  }

  static forRootAsync(options: ClickHouseStorageAsyncOptions): DynamicModule {
    const optionsProvider: Provider = { provide: CLICKHOUSE_STORAGE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] };
    return ClickHouseStorageModule.build(optionsProvider, options.imports ?? [], options);
  }

  private static build(optionsProvider: Provider, imports: NonNullable<ModuleMetadata['imports']>, selection: ClickHousePortSelection): DynamicModule {
    const wanted = new Set(selection.ports ?? CLICKHOUSE_PORTS);
    const unknown = [...wanted].filter((token) => !CLICKHOUSE_PORTS.includes(token));
    if (unknown.length > 0) throw new Error(`ClickHouseStorageModule cannot serve ${unknown.map((token) => token.name).join(', ')}`);
    const selected = PORT_ADAPTERS.filter(([token]) => wanted.has(token));
    const providers: Provider[] = [
      optionsProvider,
      { provide: ClickHouseStorage, useFactory: (options: ClickHouseStorageOptions) => ClickHouseStorage.open(options), inject: [CLICKHOUSE_STORAGE_OPTIONS] },
      { provide: ClickHouseHealthIndicator, useFactory: (storage: ClickHouseStorage) => storage.health, inject: [ClickHouseStorage] },
      ...selected.map(([token, adapter]) => ({ provide: token, useFactory: adapter, inject: [ClickHouseStorage] })),
    ];
    return {
      module: ClickHouseStorageModule,
      global: true,
      imports,
      providers,
      exports: [ClickHouseStorage, ClickHouseHealthIndicator, ...selected.map(([token]) => token)],
    };
  }
}
