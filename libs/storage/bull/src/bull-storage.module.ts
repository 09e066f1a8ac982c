import { Module, type DynamicModule, type FactoryProvider, type ModuleMetadata, type Provider } from '@nestjs/common';
import { BullModule, getQueueToken } from '@nestjs/bull';
import { JobQueue, QUEUE_NAMES, Scheduler, type QueueName } from '@lemo/domain';
import type { Queue } from 'bull';
import { BullStorage } from './bull-storage';
import { BULL_STORAGE_OPTIONS, queueOptions, resolveOptions, type BullStorageOptions } from './bull-storage.options';

/** A port's abstract class, the DI token its adapter is provided under. */
export type PortToken = abstract new (...args: never[]) => unknown;

export interface BullPortSelection {
  /** Which of JobQueue and Scheduler to provide (default both), so that another backend can serve the other. */
  ports?: readonly PortToken[];
}

export interface BullStorageAsyncOptions extends BullPortSelection {
  imports?: ModuleMetadata['imports'];
  inject?: FactoryProvider['inject'];
  useFactory: FactoryProvider<BullStorageOptions | Promise<BullStorageOptions>>['useFactory'];
}

/** @nestjs/bull's shared configuration key for our queues, so an app's own BullModule.forRoot does not collide. */
const BULL_CONFIG_KEY = 'lemo-storage';

/** Every port the Bull storage can serve. */
export const BULL_PORTS: readonly PortToken[] = [JobQueue, Scheduler];

@Module({})
class BullStorageOptionsModule {}

/**
 * Serves JobQueue and Scheduler: the queues `default`, `model_training`,
 * `item_processing` and `user_profile`, registered with @nestjs/bull's
 * BullModule. Global; on application shutdown the scheduler stops, running
 * handlers finish, and every Redis connection is closed.
 */
@Module({})
export class BullStorageModule {
  static forRoot(options: BullStorageOptions, selection: BullPortSelection = {}): DynamicModule {
    return BullStorageModule.build({ provide: BULL_STORAGE_OPTIONS, useValue: options }, [], selection);
  }

  static forRootAsync(options: BullStorageAsyncOptions): DynamicModule {
    const optionsProvider: Provider = { provide: BULL_STORAGE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] };
    return BullStorageModule.build(optionsProvider, options.imports ?? [], options);
  }

  private static build(optionsProvider: Provider, imports: NonNullable<ModuleMetadata['imports']>, selection: BullPortSelection): DynamicModule {
    // One module owns the options, so BullModule's configuration and the storage read the same ones (a factory runs once).
    const optionsModule: DynamicModule = { module: BullStorageOptionsModule, imports, providers: [optionsProvider], exports: [BULL_STORAGE_OPTIONS] };
    const wanted = new Set(selection.ports ?? BULL_PORTS);
    const ports: Provider[] = [];
    if (wanted.has(JobQueue)) ports.push({ provide: JobQueue, useFactory: (storage: BullStorage) => storage.jobQueue, inject: [BullStorage] });
    if (wanted.has(Scheduler)) ports.push({ provide: Scheduler, useFactory: (storage: BullStorage) => storage.scheduler, inject: [BullStorage] });
    const storage: Provider = {
      provide: BullStorage,
      useFactory: (options: BullStorageOptions, ...queues: Queue[]) =>
        new BullStorage(Object.fromEntries(QUEUE_NAMES.map((name, i) => [name, queues[i]])) as Record<QueueName, Queue>, options),
      inject: [BULL_STORAGE_OPTIONS, ...QUEUE_NAMES.map((name) => getQueueToken(name))],
    };
    return {
      module: BullStorageModule,
      global: true,
      imports: [
        optionsModule,
        BullModule.forRootAsync(BULL_CONFIG_KEY, {
          imports: [optionsModule],
          inject: [BULL_STORAGE_OPTIONS],
          useFactory: (options: BullStorageOptions) => {
            const resolved = resolveOptions(options);
            return { url: resolved.redisUrl, ...queueOptions(resolved) };
          },
        }),
        BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name, configKey: BULL_CONFIG_KEY }))),
      ],
      providers: [storage, ...ports],
      exports: [BullStorage, ...ports.map((port) => (port as { provide: PortToken }).provide)],
    };
  }
}
