/** Read-your-writes (`Strong`, the default) or a few seconds of staleness for cheaper searches (`Bounded`). */
export type MilvusConsistency = 'Strong' | 'Bounded';

export interface MilvusStorageOptions {
  /** `host:port` of the Milvus proxy (or Milvus Lite server). */
  address: string;
  username?: string;
  password?: string;
  /** The collection holding every tenant's vectors; default `defaultCollectionName(dimension)`. */
  collection?: string;
  /** Components of every vector; fixed for the collection's lifetime. */
  dimension: number;
  /** Consistency level of searches and reads; default `Strong`. */
  consistency?: MilvusConsistency;
  /** Deadline of each call to Milvus, in milliseconds; default 15 s. */
  timeoutMs?: number;
}

export const MILVUS_STORAGE_OPTIONS = Symbol('MILVUS_STORAGE_OPTIONS');

/** One collection per dimension: changing the configured dimension starts a new collection instead of clashing with the old one. */
export const defaultCollectionName = (dimension: number): string => `lemo_item_vectors_${dimension}d`;

export const DEFAULT_TIMEOUT_MS = 15_000;
