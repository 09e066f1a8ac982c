import { DomainError } from '@lemo/domain';
import path from 'node:path';
import type { EventBusOptions } from './events/event-bus.adapter';
import type { JobQueueOptions } from './jobs/job-queue.adapter';
import { IN_MEMORY } from './sqlite/sqlite-database';

export interface EmbeddedStorageOptions {
  /** Directory of `lemo.db` and `vectors/`; ':memory:' keeps everything in memory (tests). */
  dataDir: string;
  /** Components of every vector in the VectorIndex. */
  vectorDimension: number;
  /** LRU bound of the in-process cache (default 100,000 entries). */
  cacheMaxEntries?: number;
  /** How often changed vector indexes are written to disk (default 60 s). */
  vectorFlushIntervalMs?: number;
  eventBus?: Partial<EventBusOptions>;
  jobQueue?: Partial<JobQueueOptions>;
}

export const EMBEDDED_STORAGE_OPTIONS = Symbol('EMBEDDED_STORAGE_OPTIONS');

export function checkOptions(options: EmbeddedStorageOptions): void {
  if (!options.dataDir) throw DomainError.invalid('dataDir', 'must name a directory or be :memory:');
  if (!Number.isInteger(options.vectorDimension) || options.vectorDimension < 2) throw DomainError.invalid('vectorDimension', 'must be an integer >= 2');
}

/** Index files sit beside the database; an in-memory database has none. */
export const vectorDirectory = (dataDir: string): string | null => (dataDir === IN_MEMORY ? null : path.join(dataDir, 'vectors'));
