import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { AppConfig } from '@lemo/platform-config';
import { LOGGER, Metrics, PinoNestLogger, requestIdFrom, runWithRequestContext, type AppLogger } from '@lemo/platform-observability';

export const API_PREFIX = 'api/v1';
export const DOCS_PATH = `${API_PREFIX}/docs`;
export const OPENAPI_PATH = `${API_PREFIX}/openapi.json`;

/** Creates the HTTP application around a root module and applies every cross-cutting concern. */
export async function createHttpApp(rootModule: unknown): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule as never, { bodyParser: false, bufferLogs: true });
  configureHttpApp(app);
  return app;
}

export function configureHttpApp(app: NestExpressApplication): void {
  const config = app.get(AppConfig);
  const logger = app.get<AppLogger>(LOGGER);
  const metrics = app.get(Metrics);
  app.useLogger(new PinoNestLogger(logger));
  app.useBodyParser('json', { limit: config.http.bodyLimit });
  app.disable('x-powered-by');
  app.use(requestContext);
  app.use(httpMetrics(metrics));
  app.setGlobalPrefix(API_PREFIX, {
    exclude: ['health', 'health/live', 'health/ready', 'metrics'].map((path) => ({ path, method: RequestMethod.GET })),
  });
  app.enableShutdownHooks();
  setupSwagger(app, config);
  keepConnectionsLongerThanBalancers(app);
}

/**
 * Node closes idle keep-alive connections after 5 s; load balancers and
 * pooled clients reuse them for up to 60 s and then meet a reset. Idle
 * connections are kept 65 s instead (the usual setting behind an LB).
 */
function keepConnectionsLongerThanBalancers(app: NestExpressApplication): void {
  const server = app.getHttpServer() as { keepAliveTimeout: number; headersTimeout: number };
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}

/** Request id from X-Request-Id (or a new one), echoed back and carried by every log line. */
function requestContext(request: Request, response: Response, next: NextFunction): void {
  const requestId = requestIdFrom(request.headers['x-request-id']);
  response.setHeader('X-Request-Id', requestId);
  runWithRequestContext({ requestId }, next);
}

function httpMetrics(metrics: Metrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const stop = metrics.httpDuration.startTimer();
    response.on('finish', () => {
      const route = request.route ? `${request.baseUrl}${request.route.path}` : 'unmatched';
      stop({ method: request.method, route, status: String(response.statusCode) });
    });
    next();
  };
}

function setupSwagger(app: INestApplication, config: AppConfig): void {
  const document = new DocumentBuilder()
    .setTitle('Lemo Recommender')
    .setDescription(
      'Multi-tenant, multi-scenario recommender. Tenant routes take a tenant API key in `X-Api-Key` ' +
        '(or `X-Tenant-Id` behind a trusted gateway); tenant and key management take the platform admin key.',
    )
    .setVersion('1.0')
    .addApiKey({ type: 'apiKey', name: 'X-Api-Key', in: 'header', description: 'Tenant API key' }, 'api-key')
    .addApiKey({ type: 'apiKey', name: 'X-Api-Key', in: 'header', description: 'Platform admin key (ADMIN_API_KEY)' }, 'admin-key')
    .addServer(`http://${config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host}:${config.http.port}`)
    .build();
  const openApi = cleanupOpenApiDoc(SwaggerModule.createDocument(app, document));
  SwaggerModule.setup(DOCS_PATH, app, openApi, { jsonDocumentUrl: OPENAPI_PATH, yamlDocumentUrl: `${API_PREFIX}/openapi.yaml` });
}
