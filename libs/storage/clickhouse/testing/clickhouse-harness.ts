import type { HarnessFactory } from '@lemo/domain/testing';
import { loadConfig } from '@lemo/platform-config';
import { createClickHouseClient } from '../src/clickhouse-connection';
import { ClickHouseStorage } from '../src/clickhouse-storage';
import type { ClickHouseStorageOptions } from '../src/clickhouse-storage.options';
import type { ClickHouseAnalyticsOptions } from '../src/analytics/analytics-store.adapter';

/**
 * The fixtures are dated 2025-01-01, older than the default retention (365
 * days) by now: tests keep rows ten years so no TTL merge removes them mid-test.
 */
export const TEST_RETENTION_DAYS = 3650;

/**
 * The dev stack's ClickHouse (.stack/env, loaded by the Jest setup file) or
 * the environment's. A missing one fails the suite with what to do: these
 * suites never skip. This is `requireBackend('clickhouse')` of @lemo/testing,
 * which an adapter lib may not import (the lint boundaries: that lib is tagged
 * type:testing and depends, through the runtime, on the adapters).
 */
export function clickHouseEndpoint(): NonNullable<ReturnType<typeof loadConfig>['backends']['clickhouse']> {
  const endpoint = loadConfig().backends.clickhouse;
  if (!endpoint) {
    throw new Error('clickhouse is not configured: start the dev stack (node tools/dev-stack/stack.mjs up --only clickhouse) or set CLICKHOUSE_HOST');
  }
  return endpoint;
}

/** A database name unique to one harness (as uniqueName of @lemo/testing), so runs sharing the server never meet. */
export const uniqueDatabase = (): string => `lemo_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

/** Options for a storage on its own, uniquely named database of the dev stack's server. */
export function testOptions(overrides: Partial<ClickHouseStorageOptions & ClickHouseAnalyticsOptions> = {}): ClickHouseStorageOptions & ClickHouseAnalyticsOptions {
  const endpoint = clickHouseEndpoint();
  return {
    url: endpoint.url,
    username: endpoint.username,
    password: endpoint.password,
    database: uniqueDatabase(),
    retentionDays: TEST_RETENTION_DAYS,
    ...overrides,
  };
}

/** Drops a test database with a client of its own (the storage's may be closed already). */
export async function dropDatabase(options: ClickHouseStorageOptions): Promise<void> {
  const client = createClickHouseClient(options);
  try {
    await client.command({ query: `DROP DATABASE IF EXISTS \`${options.database}\`` });
  } finally {
    await client.close();
  }
}

/** Closes the storage, then drops its database. */
export async function closeAndDrop(storage: ClickHouseStorage, options: ClickHouseStorageOptions): Promise<void> {
  try {
    await storage.close();
  } finally {
    await dropDatabase(options);
  }
}

/** A harness factory for one adapter of a storage on a fresh database, dropped on close. */
export const clickHouseHarness =
  <T>(pick: (storage: ClickHouseStorage) => T, overrides: Partial<ClickHouseStorageOptions & ClickHouseAnalyticsOptions> = {}): HarnessFactory<T> =>
  async () => {
    const options = testOptions(overrides);
    const storage = await ClickHouseStorage.open(options);
    return { port: pick(storage), close: () => closeAndDrop(storage, options) };
  };
