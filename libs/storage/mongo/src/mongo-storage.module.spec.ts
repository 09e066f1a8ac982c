import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConnectionStates } from 'mongoose';
import * as domain from '@lemo/domain';
import { ItemRepository } from '@lemo/domain';
import { aUser } from '@lemo/domain/testing';
import { dropDatabase, testOptions } from '../testing/mongo-harness';
import { MongoStorage, MongoStorageModule, type MongoStorageOptions } from './index';

/** Named here, not taken from the module, so that a port the module forgets fails this test. */
// prettier-ignore
const PORT_NAMES = [
  'TenantRepository', 'ApiKeyRepository', 'ScenarioRepository', 'ExperimentRepository', 'ModelRepository', 'DatasetRepository',
  'TemplateRepository', 'ItemRepository', 'UserRepository', 'TrackingSchemaRepository', 'EventStore', 'HealthIndicator',
] as const;
const PORTS = PORT_NAMES.map((name) => domain[name]);

/** A feature module that injects ports without importing the storage module (it is global). */
@Injectable()
class AccountService {
  constructor(
    readonly users: domain.UserRepository,
    readonly events: domain.EventStore,
  ) {}
}

@Module({ providers: [AccountService] })
class AccountModule {}

const CONFIG = Symbol('CONFIG');

describe('MongoStorageModule', () => {
  let options: MongoStorageOptions;

  beforeEach(() => {
    options = testOptions();
  });

  /** Boots a Nest context over `imports`; the test's database is dropped afterwards. */
  async function boot(...imports: NonNullable<Parameters<typeof Module>[0]['imports']>) {
    @Module({ imports })
    class AppModule {}
    return NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
  }

  afterEach(async () => {
    await dropDatabase(options);
  });

  it('provides every port from one storage, to modules that do not import it', async () => {
    const app = await boot(MongoStorageModule.forRoot(options), AccountModule);
    const storage = app.get(MongoStorage);
    for (const port of PORTS) expect(Object.values(storage)).toContain(app.get(port));
    const accounts = app.get(AccountService);
    expect(accounts.users).toBe(storage.users);
    await accounts.users.upsert(aUser('acme', 'u1'));
    expect(await app.get(domain.UserRepository).get('acme', 'u1')).toEqual(aUser('acme', 'u1'));
    expect(storage.connection.name).toBe(options.database);
    await app.close();
  });

  it('builds its options asynchronously from injected config', async () => {
    @Module({ providers: [{ provide: CONFIG, useValue: options }], exports: [CONFIG] })
    class ConfigModule {}
    const app = await boot(
      MongoStorageModule.forRootAsync({ imports: [ConfigModule], inject: [CONFIG], useFactory: async (config: MongoStorageOptions) => ({ ...config }) }),
    );
    expect(await app.get(domain.HealthIndicator).check()).toEqual([{ name: 'mongodb', ok: true, detail: options.database }]);
    await app.close();
  });

  it('closes its connection on application shutdown', async () => {
    const app = await boot(MongoStorageModule.forRoot(options));
    const items = app.get(ItemRepository);
    expect(await items.count('acme')).toBe(0);
    await app.close();
    expect(app.get(MongoStorage).connection.readyState).toBe(ConnectionStates.disconnected);
    await expect(items.count('acme')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('provides only the selected ports, leaving the others to another backend', async () => {
    const app = await boot(MongoStorageModule.forRoot(options, { ports: [domain.ItemRepository, domain.EventStore] }));
    expect(app.get(domain.EventStore)).toBe(app.get(MongoStorage).events);
    expect(() => app.get(domain.UserRepository)).toThrow();
    await app.close();
  });

  it('refuses to serve a port it has no adapter for', () => {
    expect(() => MongoStorageModule.forRoot(options, { ports: [domain.Cache] })).toThrow('MongoStorageModule cannot serve Cache');
  });

  it('refuses invalid options at start', async () => {
    await expect(boot(MongoStorageModule.forRoot({ url: 'redis://127.0.0.1', database: 'lemo' }))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
