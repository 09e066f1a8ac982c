import { BackgroundJobsModule, StreamsModule } from '@lemo/application';
import { createTestApp, type TestApp, type TestAppOptions } from '@lemo/testing';
import { ApiHttpModule } from '../api-http.module';
import { configureHttpApp } from '../http-app';

/** The REST app as main.ts builds it, with job handlers and stream jobs running (as in the all-in-one), on the test environment's adapters. */
export const createApiTestApp = (env: Record<string, string> = {}, overrides: TestAppOptions['overrides'] = []): Promise<TestApp> =>
  createTestApp({ modules: [ApiHttpModule, BackgroundJobsModule, StreamsModule], configure: configureHttpApp, env, overrides });
