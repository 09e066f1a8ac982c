import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { createHttpApp, DOCS_PATH } from '@lemo/api';
import { grpcOptions } from '@lemo/grpc';
import { loadConfig } from '@lemo/platform-config';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';
import { runProcess } from '@lemo/runtime';
import { adminKeyFor } from './admin-key';
import { AllInOneModule } from './all-in-one.module';
import { DEMO_SCENARIO, DemoSeeder } from './demo-seeder';

runProcess('all-in-one', async () => {
  const loaded = loadConfig();
  mkdirSync(loaded.dataDir, { recursive: true });
  const config = loaded.withAdminKey(adminKeyFor(loaded.dataDir, loaded.auth.adminApiKey));
  const app = await createHttpApp(AllInOneModule.forConfig(config));
  app.connectMicroservice(grpcOptions(config), { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen(config.http.port, config.http.host);
  const logger = app.get<AppLogger>(LOGGER);
  const demo = config.demoSeed ? await app.get(DemoSeeder).seed() : null;
  const base = `http://${config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host}:${config.http.port}`;
  logger.info({ http: base, grpc: `${config.grpc.host}:${config.grpc.port}`, profile: config.profile, data_dir: config.dataDir }, 'lemo recommender ready');
  const lines = [
    '',
    `  Lemo Recommender is up (profile: ${config.profile}, data: ${config.dataDir})`,
    `  Swagger UI     ${base}/${DOCS_PATH}`,
    `  REST           ${base}/api/v1    gRPC ${config.grpc.host}:${config.grpc.port}`,
    `  Admin key      ${config.auth.adminApiKey}`,
    ...(demo
      ? [
          `  Demo tenant    ${demo.tenantId} (scenario ${DEMO_SCENARIO})`,
          `  Demo API key   ${demo.apiKey ?? '(not on disk: create one with POST /api/v1/tenants/demo/api-keys)'}`,
          `  Try it         curl -s -X POST ${base}/api/v1/recommend -H 'X-Api-Key: ${demo.apiKey ?? '<key>'}' -H 'Content-Type: application/json' -d '{"scenario_id":"${DEMO_SCENARIO}","user_id":"user_00001","count":5}'`,
        ]
      : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
});
