import 'reflect-metadata';
import { loadConfig } from '@lemo/platform-config';
import { runProcess } from '@lemo/runtime';
import { ApiAppModule } from './api-app.module';
import { createHttpApp } from './http-app';

runProcess('api', async () => {
  const config = loadConfig();
  const app = await createHttpApp(ApiAppModule.forConfig(config));
  await app.listen(config.http.port, config.http.host);
});
