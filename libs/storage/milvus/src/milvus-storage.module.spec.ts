import { Injectable, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthIndicator, VectorIndex } from '@lemo/domain';
import { expectDomainError } from '@lemo/domain/testing';
import { adminClient, dropCollection, TEST_DIMENSION, testOptions, type TestOptions } from '../testing/milvus-harness';
import { MilvusStorage, MilvusStorageModule } from './index';

/** A feature module that injects the port without importing the storage module (it is global). */
@Injectable()
class RecallService {
  constructor(readonly vectors: VectorIndex) {}
}

@Module({ providers: [RecallService] })
class RecallModule {}

const CONFIG = Symbol('CONFIG');

describe('MilvusStorageModule', () => {
  let options: TestOptions;
  beforeEach(() => (options = testOptions()));
  afterEach(() => dropCollection(options.collection));

  const boot = async (storageModule: DynamicModule) => {
    @Module({ imports: [storageModule, RecallModule] })
    class AppModule {}
    // abortOnError: a failed start rejects instead of exiting the process.
    return NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
  };

  it('creates the collection at start and serves VectorIndex and HealthIndicator from one storage', async () => {
    const app = await boot(MilvusStorageModule.forRoot(options));
    expect((await adminClient().hasCollection({ collection_name: options.collection })).value).toBe(true);
    const storage = app.get(MilvusStorage);
    expect(app.get(VectorIndex)).toBe(storage.vectors);
    expect(app.get(HealthIndicator)).toBe(storage.health);
    expect(app.get(RecallService).vectors.dimension).toBe(TEST_DIMENSION);
    expect(await app.get(HealthIndicator).check()).toEqual([expect.objectContaining({ name: 'milvus', ok: true })]);
    await app.close();
  });

  it('starts again on the collection it created, and closes its client on shutdown', async () => {
    const first = await boot(MilvusStorageModule.forRoot(options));
    await first.get(VectorIndex).upsert('acme', 'home', [{ id: 'kept', vector: new Array(TEST_DIMENSION).fill(1) }]);
    await first.close();
    await expectDomainError(() => first.get(VectorIndex).count('acme', 'home'), 'UNAVAILABLE');

    const second = await boot(MilvusStorageModule.forRoot(options));
    expect(await second.get(VectorIndex).count('acme', 'home')).toBe(1);
    await second.close();
  });

  it('builds its options asynchronously from injected config, and serves only the selected ports', async () => {
    @Module({ providers: [{ provide: CONFIG, useValue: options }], exports: [CONFIG] })
    class ConfigModule {}
    const app = await boot(
      MilvusStorageModule.forRootAsync({ imports: [ConfigModule], inject: [CONFIG], useFactory: async (config: TestOptions) => config, ports: [VectorIndex] }),
    );
    expect(app.get(VectorIndex).dimension).toBe(TEST_DIMENSION);
    expect(() => app.get(HealthIndicator)).toThrow();
    await app.close();
  });

  it('does not start against a Milvus it cannot reach', async () => {
    await expectDomainError(() => boot(MilvusStorageModule.forRoot({ address: '127.0.0.1:1', dimension: TEST_DIMENSION, timeoutMs: 2000 })), 'UNAVAILABLE');
  });
});
