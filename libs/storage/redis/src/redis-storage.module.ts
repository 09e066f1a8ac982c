import { Module, type DynamicModule, type FactoryProvider, type ModuleMetadata, type Provider } from '@nestjs/common';
import { Cache, FeatureStore, HealthIndicator, RealtimeCounters } from '@lemo/domain';
import { RedisStorage } from './redis-storage';
import { REDIS_STORAGE_OPTIONS, type RedisStorageOptions } from './redis-storage.options';

/** A port's abstract class, the DI token its adapter is provided under. */
export type PortToken = abstract new (...args: never[]) => unknown;

/** Which port tokens to provide (default: all of REDIS_PORTS), so that another backend can serve the rest. */
export interface PortSelection {
  ports?: readonly PortToken[];
}

export interface RedisStorageAsyncOptions extends PortSelection {
  imports?: ModuleMetadata['imports'];
  inject?: FactoryProvider['inject'];
  useFactory: FactoryProvider<RedisStorageOptions | Promise<RedisStorageOptions>>['useFactory'];
}

const PORT_ADAPTERS: ReadonlyArray<[token: PortToken, adapter: (storage: RedisStorage) => unknown]> = [
  [Cache, (storage) => storage.cache],
  [FeatureStore, (storage) => storage.features],
  [RealtimeCounters, (storage) => storage.counters],
  [HealthIndicator, (storage) => storage.health],
];

/** Every port the Redis storage can serve. */
export const REDIS_PORTS: readonly PortToken[] = PORT_ADAPTERS.map(([token]) => token);

/**
 * Serves Cache, FeatureStore, RealtimeCounters and HealthIndicator from one Redis connection.
 * Global, like every storage module: feature modules inject the ports without
 * importing it. The connection is closed on application shutdown.
 */
@Module({})
export class RedisStorageModule {
  static forRoot(options: RedisStorageOptions, selection: PortSelection = {}): DynamicModule {
    return RedisStorageModule.build({ provide: REDIS_STORAGE_OPTIONS, useValue: options }, [], selection);
  }

  static forRootAsync(options: RedisStorageAsyncOptions): DynamicModule {
    const optionsProvider: Provider = { provide: REDIS_STORAGE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] };
    return RedisStorageModule.build(optionsProvider, options.imports ?? [], options);
  }

  private static build(optionsProvider: Provider, imports: NonNullable<ModuleMetadata['imports']>, selection: PortSelection): DynamicModule {
    const wanted = new Set(selection.ports ?? REDIS_PORTS);
    const selected = PORT_ADAPTERS.filter(([token]) => wanted.has(token));
    const storage: Provider = {
      provide: RedisStorage,
      useFactory: (options: RedisStorageOptions) => RedisStorage.open(options),
      inject: [REDIS_STORAGE_OPTIONS],
    };
    return {
      module: RedisStorageModule,
      global: true,
      imports,
      providers: [optionsProvider, storage, ...selected.map(([token, adapter]) => ({ provide: token, useFactory: adapter, inject: [RedisStorage] }))],
      exports: [RedisStorage, ...selected.map(([token]) => token)],
    };
  }
}
