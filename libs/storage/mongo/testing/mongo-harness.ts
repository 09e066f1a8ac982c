import type { HarnessFactory } from '@lemo/domain/testing';
import { loadConfig } from '@lemo/platform-config';
import { createConnection } from 'mongoose';
import { MongoStorage } from '../src/mongo-storage';
import type { MongoStorageOptions } from '../src/mongo-storage.options';

/**
 * The MongoDB endpoint of the dev stack (.stack/env, loaded by the Jest setup
 * file) or of the environment. A missing one fails the suite with what to do:
 * these suites never skip. (The same contract as requireBackend('mongodb') of
 * @lemo/testing, which an adapter lib may not import: that lib is tagged
 * type:testing and depends, through the runtime, on the adapters themselves.)
 */
export function mongoEndpoint(): { url: string; database: string } {
  const endpoint = loadConfig().backends.mongodb;
  if (!endpoint) {
    throw new Error('mongodb is not configured: start the dev stack (node tools/dev-stack/stack.mjs up --only mongodb) or set MONGODB_URL');
  }
  return endpoint;
}

/** A database name unique to one harness, so tests sharing the server never see each other's data. */
export const uniqueDatabase = (): string => `lemo_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

/** Options for a fresh database on the stack's server; a test that cannot reach it fails within 3 s. */
export const testOptions = (overrides: Partial<MongoStorageOptions> = {}): MongoStorageOptions => ({
  url: mongoEndpoint().url,
  database: uniqueDatabase(),
  serverSelectionTimeoutMs: 3000,
  // One writing process: the contract reads what it just appended (the settle window has its own spec).
  appendedSettleMs: 0,
  ...overrides,
});

/** Drops the storage's database, then closes its connection. */
export async function dropAndClose(storage: MongoStorage): Promise<void> {
  try {
    await storage.connection.dropDatabase();
  } finally {
    await storage.close();
  }
}

/** Drops a test database without opening a storage on it (no index builds). */
export async function dropDatabase(options: MongoStorageOptions): Promise<void> {
  const connection = await createConnection(options.url, { dbName: options.database, serverSelectionTimeoutMS: options.serverSelectionTimeoutMs }).asPromise();
  try {
    await connection.dropDatabase();
  } finally {
    await connection.close();
  }
}

/** A harness factory for one adapter of a storage opened on a fresh, uniquely named database (dropped on close). */
export const mongoHarness =
  <T>(pick: (storage: MongoStorage) => T): HarnessFactory<T> =>
  async () => {
    const storage = await MongoStorage.open(testOptions());
    return { port: pick(storage), close: () => dropAndClose(storage) };
  };
