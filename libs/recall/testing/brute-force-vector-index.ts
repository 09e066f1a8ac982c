import { VectorIndex, type VectorEntry, type VectorHit } from '@lemo/domain';
import { cosine } from '@lemo/features';

const key = (tenantId: string, scenarioId: string) => `${tenantId}/${scenarioId}`;

/** Exact cosine search over an in-memory map; `searches` records each query for assertions. */
export class BruteForceVectorIndex extends VectorIndex {
  readonly searches: Array<{ vector: number[]; k: number; exclude: string[] }> = [];
  private readonly spaces = new Map<string, Map<string, Float32Array>>();

  constructor(readonly dimension: number) {
    super();
  }

  async upsert(tenantId: string, scenarioId: string, entries: readonly VectorEntry[]): Promise<void> {
    const space = this.spaces.get(key(tenantId, scenarioId)) ?? new Map<string, Float32Array>();
    for (const entry of entries) {
      if (entry.vector.length !== this.dimension) throw new Error(`vector of ${entry.id} has ${entry.vector.length} components, expected ${this.dimension}`);
      space.set(entry.id, Float32Array.from(entry.vector));
    }
    this.spaces.set(key(tenantId, scenarioId), space);
  }

  async get(tenantId: string, scenarioId: string, ids: readonly string[]): Promise<Map<string, Float32Array>> {
    const space = this.spaces.get(key(tenantId, scenarioId));
    const found = new Map<string, Float32Array>();
    for (const id of ids) {
      const vector = space?.get(id);
      if (vector) found.set(id, vector);
    }
    return found;
  }

  async search(tenantId: string, scenarioId: string, vector: ArrayLike<number>, k: number, exclude: ReadonlySet<string> = new Set()): Promise<VectorHit[]> {
    this.searches.push({ vector: Array.from(vector), k, exclude: [...exclude].sort() });
    return [...(this.spaces.get(key(tenantId, scenarioId)) ?? [])]
      .filter(([id]) => !exclude.has(id))
      .map(([id, v]) => ({ id, score: cosine(vector, v) }))
      .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
      .slice(0, k);
  }

  remove(): Promise<void> {
    throw new Error('BruteForceVectorIndex.remove: unexpected call');
  }
  count(): Promise<number> {
    throw new Error('BruteForceVectorIndex.count: unexpected call');
  }
}
