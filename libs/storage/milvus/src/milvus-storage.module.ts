import { Module, type DynamicModule, type FactoryProvider, type ModuleMetadata, type Provider } from '@nestjs/common';
import { HealthIndicator, VectorIndex } from '@lemo/domain';
import { MilvusStorage } from './milvus-storage';
import { MILVUS_STORAGE_OPTIONS, type MilvusStorageOptions } from './milvus-storage.options';

export type PortToken = abstract new (...args: never[]) => unknown;

/** Which port tokens to provide (default: all of MILVUS_PORTS), so that another adapter can serve the rest (e.g. a combined HealthIndicator). */
export interface PortSelection {
  ports?: readonly PortToken[];
}

export interface MilvusStorageAsyncOptions extends PortSelection {
  imports?: ModuleMetadata['imports'];
  inject?: FactoryProvider['inject'];
  useFactory: FactoryProvider<MilvusStorageOptions | Promise<MilvusStorageOptions>>['useFactory'];
}

const PORT_ADAPTERS: ReadonlyArray<[token: PortToken, adapter: (storage: MilvusStorage) => unknown]> = [
  [VectorIndex, (storage) => storage.vectors],
  [HealthIndicator, (storage) => storage.health],
];

/** Every port the Milvus storage can serve. */
export const MILVUS_PORTS: readonly PortToken[] = PORT_ADAPTERS.map(([token]) => token);

/**
 * Serves VectorIndex (and a HealthIndicator for Milvus) from one Milvus
 * client. Global, like the other storage modules. The collection, its index
 * and its loading are ensured while the module is created (the application
 * does not start against a Milvus it cannot use); the client is closed on
 * application shutdown (MilvusStorage.onApplicationShutdown).
 */
@Module({})
export class MilvusStorageModule {
  static forRoot(options: MilvusStorageOptions, selection: PortSelection = {}): DynamicModule {
    return MilvusStorageModule.build({ provide: MILVUS_STORAGE_OPTIONS, useValue: options }, [], selection);
  }

  static forRootAsync(options: MilvusStorageAsyncOptions): DynamicModule {
    const optionsProvider: Provider = { provide: MILVUS_STORAGE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] };
    return MilvusStorageModule.build(optionsProvider, options.imports ?? [], options);
  }

  private static build(optionsProvider: Provider, imports: NonNullable<ModuleMetadata['imports']>, selection: PortSelection): DynamicModule {
    const wanted = new Set(selection.ports ?? MILVUS_PORTS);
    const selected = PORT_ADAPTERS.filter(([token]) => wanted.has(token));
    const storage: Provider = {
      provide: MilvusStorage,
      useFactory: (options: MilvusStorageOptions) => MilvusStorage.open(options),
      inject: [MILVUS_STORAGE_OPTIONS],
    };
    return {
      module: MilvusStorageModule,
      global: true,
      imports,
      providers: [optionsProvider, storage, ...selected.map(([token, adapter]) => ({ provide: token, useFactory: adapter, inject: [MilvusStorage] }))],
      exports: [MilvusStorage, ...selected.map(([token]) => token)],
    };
  }
}
