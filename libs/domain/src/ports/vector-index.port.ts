export interface VectorEntry {
  id: string;
  vector: ArrayLike<number>;
}

export interface VectorHit {
  id: string;
  /** Cosine similarity, -1..1. */
  score: number;
}

/**
 * Approximate nearest neighbours by cosine similarity, one namespace per
 * (tenant, scenario): a search never returns another tenant's vectors.
 */
export abstract class VectorIndex {
  abstract readonly dimension: number;
  /** Inserts or replaces; vectors must have `dimension` components (VALIDATION_FAILED otherwise). */
  abstract upsert(tenantId: string, scenarioId: string, entries: readonly VectorEntry[]): Promise<void>;
  abstract remove(tenantId: string, scenarioId: string, ids: readonly string[]): Promise<void>;
  abstract get(tenantId: string, scenarioId: string, ids: readonly string[]): Promise<Map<string, Float32Array>>;
  /** Up to k nearest, best first, never including ids in `exclude`. */
  abstract search(tenantId: string, scenarioId: string, vector: ArrayLike<number>, k: number, exclude?: ReadonlySet<string>): Promise<VectorHit[]>;
  abstract count(tenantId: string, scenarioId: string): Promise<number>;
}
