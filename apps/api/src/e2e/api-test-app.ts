import { BackgroundJobsModule } from '@lemo/application';
import { createTestApp, type TestApp, type TestAppOptions } from '@lemo/testing';
import { ApiHttpModule } from '../api-http.module';
import { configureHttpApp } from '../http-app';

/** The REST app as main.ts builds it, with job handlers running, on the test environment's adapters. */
export const createApiTestApp = (env: Record<string, string> = {}, overrides: TestAppOptions['overrides'] = []): Promise<TestApp> =>
  createTestApp({ modules: [ApiHttpModule, BackgroundJobsModule], configure: configureHttpApp, env, overrides });
