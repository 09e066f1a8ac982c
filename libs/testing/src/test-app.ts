import type { DynamicModule, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { loadConfig, processEnvironment, type AppConfig } from '@lemo/platform-config';
import { uniqueName } from '@lemo/platform-testing';
import { CoreModule } from '@lemo/runtime';

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789';

export interface TestAppOptions {
  /** Transport and work modules on top of CoreModule (e.g. ApiHttpModule, BackgroundJobsModule). */
  modules: Array<Type | DynamicModule>;
  /** Applies the app's HTTP setup (prefix, body limits, Swagger) as main.ts would. */
  configure?: (app: NestExpressApplication) => void;
  /** Environment on top of the test defaults (in-memory embedded storage, silent logs). */
  env?: Record<string, string>;
  /** Providers replaced after compilation, e.g. a port whose backend is down. */
  overrides?: Array<{ provide: unknown; useValue: unknown } | { provide: unknown; useFactory: (...deps: never[]) => unknown; inject: unknown[] }>;
}

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  http: ReturnType<typeof request>;
  adminKey: string;
  close(): Promise<void>;
}

/**
 * Boots an app as main.ts would, for supertest, over the adapters the process
 * environment selects: embedded in memory by default, the real servers when a
 * suite runs with PROFILE=cluster. Each app gets its own databases, key
 * prefixes, topics and collection, so runs sharing the servers never meet.
 */
export async function createTestApp(options: TestAppOptions): Promise<TestApp> {
  const isolation = { MONGODB_DATABASE: uniqueName('lemo_e2e'), CLICKHOUSE_DATABASE: uniqueName('lemo_e2e'), STORAGE_NAMESPACE: uniqueName('e2e') };
  const config = loadConfig({ ...processEnvironment(), DATA_DIR: ':memory:', ADMIN_API_KEY: TEST_ADMIN_KEY, LOG_LEVEL: 'silent', ...isolation, ...options.env });
  const builder = Test.createTestingModule({ imports: [CoreModule.forConfig(config), ...options.modules] });
  for (const override of options.overrides ?? []) {
    const target = builder.overrideProvider(override.provide);
    if ('useValue' in override) target.useValue(override.useValue);
    else target.useFactory({ factory: override.useFactory, inject: override.inject as never[] });
  }
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
  options.configure?.(app);
  await app.init();
  return { app, config, http: request(app.getHttpServer()), adminKey: config.auth.adminApiKey ?? TEST_ADMIN_KEY, close: () => app.close() };
}
