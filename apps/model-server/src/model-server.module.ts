import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { ZodValidationPipe } from 'nestjs-zod';
import { ModelServingModule } from '@lemo/application';
import { AppConfig } from '@lemo/platform-config';
import { HttpExceptionFilter } from '@lemo/platform-errors';
import { LOGGER, PinoNestLogger, requestIdFrom, runWithRequestContext, type AppLogger } from '@lemo/platform-observability';
import { CoreModule, HealthController } from '@lemo/runtime';
import { InternalTokenGuard } from './internal-request';
import { ModelsController } from './models.controller';

/** The model-server's HTTP transport: the model API next to health, readiness and metrics, on one port. */
@Module({
  imports: [ModelServingModule],
  controllers: [HealthController, ModelsController],
  providers: [
    { provide: APP_GUARD, useClass: InternalTokenGuard },
    { provide: APP_PIPE, useClass: ZodValidationPipe },
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
  ],
})
export class ModelServerHttpModule {}

/** The standalone model-server process: core services plus the model API. */
@Module({})
export class ModelServerAppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return { module: ModelServerAppModule, imports: [CoreModule.forConfig(config), ModelServerHttpModule] };
  }
}

/** What main.ts applies to the HTTP app (tests apply it too): logger, body limit (batches are large), request ids. */
export function configureModelServerHttp(app: NestExpressApplication): void {
  const config = app.get(AppConfig);
  app.useLogger(new PinoNestLogger(app.get<AppLogger>(LOGGER)));
  app.useBodyParser('json', { limit: config.http.bodyLimit });
  app.disable('x-powered-by');
  app.use((request: Request, response: Response, next: NextFunction) => {
    const requestId = requestIdFrom(request.headers['x-request-id']);
    response.setHeader('X-Request-Id', requestId);
    runWithRequestContext({ requestId }, next);
  });
  app.enableShutdownHooks();
  // Pooled clients (the api's fetch) keep connections open; Node's 5 s idle close would meet them with resets.
  const server = app.getHttpServer() as { keepAliveTimeout: number; headersTimeout: number };
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}
