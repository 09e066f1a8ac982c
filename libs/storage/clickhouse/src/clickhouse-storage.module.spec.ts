import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AnalyticsStore, EventStore, HealthIndicator } from '@lemo/domain';
import { anEvent, FIXTURE_EPOCH } from '@lemo/domain/testing';
import { dropDatabase, testOptions } from '../testing/clickhouse-harness';
import { ClickHouseHealthIndicator, ClickHouseStorage, ClickHouseStorageModule, type ClickHouseStorageOptions } from './index';
import { CLICKHOUSE_MIGRATIONS, retentionOf } from './schema/migrations';

/** A feature module that injects the port without importing the storage module (it is global). */
@Injectable()
class DashboardService {
  constructor(readonly analytics: AnalyticsStore) {}
}

@Module({ providers: [DashboardService] })
class DashboardModule {}

const CONFIG = Symbol('CONFIG');

describe('ClickHouseStorageModule', () => {
  let options: ClickHouseStorageOptions;

  beforeEach(() => {
    options = testOptions();
  });

  afterEach(() => dropDatabase(options));

  it('migrates at start, provides the AnalyticsStore and health to modules that do not import it, and closes the client on shutdown', async () => {
    @Module({ imports: [ClickHouseStorageModule.forRoot(options), DashboardModule] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const storage = app.get(ClickHouseStorage);
    expect(storage.migration.applied.map((m) => m.version)).toEqual(CLICKHOUSE_MIGRATIONS.map((m) => m.version));
    const analytics = app.get(DashboardService).analytics;
    expect(analytics).toBe(storage.analytics);
    expect(app.get(HealthIndicator)).toBe(storage.health);
    expect(app.get(ClickHouseHealthIndicator)).toBe(storage.health);
    await analytics.insertBehaviors([anEvent('acme')]);
    expect(await analytics.count('acme')).toBe(1);
    expect(await app.get(HealthIndicator).check()).toEqual([{ name: 'clickhouse', ok: true, detail: `${new URL(options.url).host}/${options.database}` }]);
    await app.close();
    await expect(analytics.count('acme')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(await storage.health.check()).toMatchObject([{ name: 'clickhouse', ok: false }]);
  });

  it('builds its options asynchronously and serves only the selected ports (the health indicator stays available by class)', async () => {
    @Module({ providers: [{ provide: CONFIG, useValue: options }], exports: [CONFIG] })
    class ConfigModule {}
    @Module({
      imports: [
        ClickHouseStorageModule.forRootAsync({
          imports: [ConfigModule],
          inject: [CONFIG],
          useFactory: async (config: ClickHouseStorageOptions) => ({ ...config, retentionDays: 30 }),
          ports: [AnalyticsStore],
        }),
      ],
    })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    expect(app.get(AnalyticsStore)).toBe(app.get(ClickHouseStorage).analytics);
    expect(() => app.get(HealthIndicator)).toThrow();
    expect((await app.get(ClickHouseHealthIndicator).check())[0].ok).toBe(true);
    const storage = app.get(ClickHouseStorage);
    expect(new Set((await retentionOf(storage.connection.client, storage.database)).values())).toEqual(new Set([30]));
    await app.close();
  });

  it('refuses a port it cannot serve', () => {
    expect(() => ClickHouseStorageModule.forRoot(options, { ports: [EventStore] })).toThrow(/cannot serve EventStore/);
  });

  it('refuses invalid options at start', async () => {
    @Module({ imports: [ClickHouseStorageModule.forRoot({ ...options, database: 'bad-name' })] })
    class AppModule {}
    await expect(NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('fails to start with UNAVAILABLE when no server answers', async () => {
    await expect(ClickHouseStorage.open({ ...options, url: 'http://127.0.0.1:1', requestTimeoutMs: 2000 })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('answers queries over data inserted by another storage on the same database', async () => {
    const writer = await ClickHouseStorage.open(options);
    const reader = await ClickHouseStorage.open(options);
    try {
      await writer.analytics.insertBehaviors([anEvent('acme', { timestamp: FIXTURE_EPOCH })]);
      expect(await reader.analytics.actionStats('acme', { from: FIXTURE_EPOCH, to: FIXTURE_EPOCH + 1 })).toEqual([{ action_type: 'click', events: 1, users: 1 }]);
      expect(reader.migration.applied).toEqual([]);
    } finally {
      await Promise.all([writer.close(), reader.close()]);
    }
  });
});
