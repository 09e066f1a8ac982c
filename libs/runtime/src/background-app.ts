import { DynamicModule, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { APP_FILTER } from '@nestjs/core';
import { loadConfig, type AppConfig } from '@lemo/platform-config';
import { HttpExceptionFilter } from '@lemo/platform-errors';
import { LOGGER, PinoNestLogger, type AppLogger } from '@lemo/platform-observability';
import { CoreModule } from './core.module';
import { HealthController } from './health.controller';
import { runProcess } from './run-process';

/** Health and metrics over HTTP for apps that serve no REST API. */
@Module({ controllers: [HealthController], providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }] })
export class HealthHttpModule {}

/** The module of a background app: core services, its own work modules, health. */
export function backgroundAppModule(config: AppConfig, work: Array<Type | DynamicModule>): DynamicModule {
  @Module({})
  class BackgroundAppModule {}
  return { module: BackgroundAppModule, imports: [CoreModule.forConfig(config), HealthHttpModule, ...work] };
}

/**
 * Starts a background app (worker, beat, consumer, streams, model-server):
 * its work modules run in-process; /health and /metrics answer on HEALTH_PORT.
 */
export function runBackgroundApp(name: string, work: (config: AppConfig) => Array<Type | DynamicModule>): void {
  runProcess(name, async () => {
    const config = loadConfig();
    const app = await NestFactory.create(backgroundAppModule(config, work(config)), { bufferLogs: true });
    app.useLogger(new PinoNestLogger(app.get<AppLogger>(LOGGER)));
    app.enableShutdownHooks();
    await app.listen(config.healthPort, config.http.host);
    app.get<AppLogger>(LOGGER).info({ app: name, health_port: config.healthPort }, `${name} started`);
  });
}
