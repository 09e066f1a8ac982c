import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@lemo/platform-config';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';
import { runProcess } from '@lemo/runtime';
import { configureModelServerHttp, ModelServerAppModule } from './model-server.module';

/**
 * Serves the tenants' learned rankers over HTTP (/v1/models/...), hot-swapping
 * newly deployed versions, with /health and /metrics, all on HEALTH_PORT.
 */
runProcess('model-server', async () => {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(ModelServerAppModule.forConfig(config), { bodyParser: false, bufferLogs: true });
  configureModelServerHttp(app);
  await app.listen(config.healthPort, config.http.host);
  app.get<AppLogger>(LOGGER).info({ app: 'model-server', port: config.healthPort, poll_ms: config.modelServer.pollMs }, 'model-server started');
});
