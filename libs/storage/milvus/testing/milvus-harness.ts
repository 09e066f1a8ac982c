import type { HarnessFactory } from '@lemo/domain/testing';
import { requireBackend, uniqueName } from '@lemo/platform-testing';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { MilvusStorage } from '../src/milvus-storage';
import type { MilvusStorageOptions } from '../src/milvus-storage.options';

/** Small enough for planted-cluster tests, large enough to be a real HNSW graph. */
export const TEST_DIMENSION = 8;

export type TestOptions = MilvusStorageOptions & { collection: string };

/** Options for a fresh collection on the dev stack's Milvus (fails, never skips, when it is not running). */
export const testOptions = (overrides: Partial<MilvusStorageOptions> = {}): TestOptions => ({
  ...requireBackend('milvus'),
  dimension: TEST_DIMENSION,
  ...overrides,
  collection: overrides.collection ?? uniqueName('lemo_test_vectors'),
});

/**
 * One client per spec file for what tests do behind the adapter's back
 * (dropping their collections, inspecting or tampering with them): a client
 * costs hundreds of milliseconds to build (it parses the Milvus protos), a
 * call a few. Closed after the file's tests.
 */
let admin: MilvusClient | undefined;
afterAll(async () => {
  await admin?.closeConnection();
  admin = undefined;
});

export function adminClient(): MilvusClient {
  const { address, username, password } = requireBackend('milvus');
  admin ??= new MilvusClient({
    address,
    username,
    password,
    logLevel: 'error',
    telemetry: { enabled: false },
    channelOptions: { 'grpc.keepalive_permit_without_calls': 0 },
  });
  return admin;
}

export async function dropCollection(collection: string): Promise<void> {
  await adminClient().dropCollection({ collection_name: collection });
}

/** A storage on its own collection, dropped when the harness closes. */
export async function openTestStorage(
  overrides: Partial<MilvusStorageOptions> = {},
): Promise<{ storage: MilvusStorage; options: TestOptions; close(): Promise<void> }> {
  const options = testOptions(overrides);
  const storage = await MilvusStorage.open(options);
  return {
    storage,
    options,
    close: async () => {
      await storage.close();
      await dropCollection(options.collection);
    },
  };
}

/** A harness factory for one adapter of a fresh storage. */
export const milvusHarness =
  <T>(pick: (storage: MilvusStorage) => T): HarnessFactory<T> =>
  async () => {
    const { storage, close } = await openTestStorage();
    return { port: pick(storage), close };
  };
