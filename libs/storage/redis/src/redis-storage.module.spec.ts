import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Cache, FeatureStore, HealthIndicator } from '@lemo/domain';
import { redisUrl } from '../testing/redis-harness';
import { RedisStorage, RedisStorageModule } from './index';

@Injectable()
class RecommendService {
  constructor(
    readonly cache: Cache,
    readonly features: FeatureStore,
  ) {}
}

@Module({ providers: [RecommendService] })
class RecommendModule {}

const CONFIG = Symbol('CONFIG');

@Module({ providers: [{ provide: CONFIG, useFactory: () => ({ redis: redisUrl() }) }], exports: [CONFIG] })
class ConfigModule {}

describe('RedisStorageModule', () => {
  it('provides Cache, FeatureStore and HealthIndicator to modules that do not import it, and closes on shutdown', async () => {
    @Module({ imports: [RedisStorageModule.forRoot({ url: redisUrl(), keyPrefix: 'test:module:' }), RecommendModule] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const storage = app.get(RedisStorage);
    expect(app.get(RecommendService)).toMatchObject({ cache: storage.cache, features: storage.features });
    expect(app.get(HealthIndicator)).toBe(storage.health);
    expect(await storage.health.check()).toEqual([{ name: 'redis', ok: true, detail: expect.stringMatching(/:\d+$/) }]);
    await app.close();
    expect(storage.redis.status).toBe('end');
  });

  it('builds its options from injected config, and serves only the selected ports', async () => {
    @Module({
      imports: [
        RedisStorageModule.forRootAsync({
          imports: [ConfigModule],
          inject: [CONFIG],
          useFactory: (config: { redis: string }) => ({ url: config.redis }),
          ports: [Cache],
        }),
      ],
    })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    expect(app.get(Cache)).toBe(app.get(RedisStorage).cache);
    expect(() => app.get(FeatureStore)).toThrow();
    await app.close();
  });

  it('rejects options that cannot work', () => {
    expect(() => RedisStorage.open({ url: 'localhost:6379' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => RedisStorage.open({ url: redisUrl(), hotMaxItems: 0 })).toThrow(/hotMaxItems/);
  });
});

describe('RedisStorage without a server', () => {
  it('reports itself down and fails calls as UNAVAILABLE, quickly', async () => {
    const storage = RedisStorage.open({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 500 });
    const startedAt = Date.now();
    expect(await storage.health.check()).toEqual([{ name: 'redis', ok: false, detail: expect.stringContaining('127.0.0.1:1') }]);
    await expect(storage.cache.get('lemo:acme:k')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(storage.features.topHot('acme', 'home', 10, Date.now())).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(Date.now() - startedAt).toBeLessThan(5000);
    await storage.close();
  });
});
