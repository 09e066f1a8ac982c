import type { HarnessFactory } from '@lemo/domain/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EmbeddedStorage } from '../src/embedded-storage';
import type { EmbeddedStorageOptions } from '../src/embedded-storage.options';

/** Small enough for planted-cluster tests, large enough to be a real HNSW graph. */
export const TEST_VECTOR_DIMENSION = 8;

/** Background intervals shortened so that retries and fallbacks happen within a test's patience. */
export const FAST_TIMINGS: Partial<EmbeddedStorageOptions> = {
  eventBus: { retryDelayMs: 50, pollIntervalMs: 100 },
  jobQueue: { pollIntervalMs: 50 },
};

export const openInMemory = (options: Partial<EmbeddedStorageOptions> = {}): EmbeddedStorage =>
  EmbeddedStorage.open({ dataDir: ':memory:', vectorDimension: TEST_VECTOR_DIMENSION, ...FAST_TIMINGS, ...options });

/** A harness factory for one adapter of a fresh in-memory storage. */
export const inMemoryHarness =
  <T>(pick: (storage: EmbeddedStorage) => T, options: Partial<EmbeddedStorageOptions> = {}): HarnessFactory<T> =>
  async () => {
    const storage = openInMemory(options);
    return { port: pick(storage), close: () => storage.close() };
  };

/** A temporary data directory, removed by `remove()`. */
export function temporaryDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'lemo-embedded-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const openOnDisk = (dataDir: string, options: Partial<EmbeddedStorageOptions> = {}): EmbeddedStorage =>
  EmbeddedStorage.open({ dataDir, vectorDimension: TEST_VECTOR_DIMENSION, ...FAST_TIMINGS, ...options });
