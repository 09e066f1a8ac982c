import type { VectorHit } from '@lemo/domain';
import { HierarchicalNSW } from 'hnswlib-node';
import { renameSync } from 'node:fs';

const INITIAL_CAPACITY = 256;
const M = 16;
const EF_CONSTRUCTION = 200;
const MIN_EF_SEARCH = 64;
const RANDOM_SEED = 100;

export interface LabelledVector {
  id: string;
  label: number;
  vector: Float32Array;
}

/**
 * The in-memory HNSW graph of one (tenant, scenario) with its id <-> label maps.
 * Labels are never reused (the namespace row hands out increasing ones), so a
 * new id can take over a deleted slot (replaceDeleted) without ever colliding
 * with a label the graph still knows.
 */
export class HnswNamespace {
  private readonly labelsById = new Map<string, number>();
  private readonly idsByLabel = new Map<number, string>();

  private constructor(private readonly index: HierarchicalNSW) {}

  static empty(dimension: number, capacity: number): HnswNamespace {
    const index = new HierarchicalNSW('cosine', dimension);
    index.initIndex({
      maxElements: Math.max(INITIAL_CAPACITY, capacity),
      m: M,
      efConstruction: EF_CONSTRUCTION,
      randomSeed: RANDOM_SEED,
      allowReplaceDeleted: true,
    });
    return new HnswNamespace(index);
  }

  /** Loads a graph written by `save`; the label map comes from the database, which is the source of truth. */
  static load(dimension: number, file: string, labels: ReadonlyArray<{ id: string; label: number }>): HnswNamespace {
    const index = new HierarchicalNSW('cosine', dimension);
    index.readIndexSync(file, true);
    const namespace = new HnswNamespace(index);
    for (const { id, label } of labels) namespace.remember(id, label);
    return namespace;
  }

  get size(): number {
    return this.labelsById.size;
  }

  labelOf(id: string): number | undefined {
    return this.labelsById.get(id);
  }

  upsert(entries: readonly LabelledVector[]): void {
    const fresh = entries.filter((entry) => !this.idsByLabel.has(entry.label)).length;
    const needed = this.index.getCurrentCount() + fresh;
    if (needed > this.index.getMaxElements()) this.index.resizeIndex(Math.max(needed, this.index.getMaxElements() * 2));
    for (const { id, label, vector } of entries) {
      const known = this.idsByLabel.has(label);
      this.index.addPoint(Array.from(vector), label, !known);
      if (!known) this.remember(id, label);
    }
  }

  remove(ids: readonly string[]): void {
    for (const id of ids) {
      const label = this.labelsById.get(id);
      if (label === undefined) continue;
      this.index.markDelete(label);
      this.labelsById.delete(id);
      this.idsByLabel.delete(label);
    }
  }

  /** Asks the graph for k plus the excluded ids it holds, so k survive the filter. */
  search(query: Float32Array, k: number, exclude: ReadonlySet<string> | undefined): VectorHit[] {
    if (k <= 0 || this.size === 0) return [];
    let excluded = 0;
    for (const id of exclude ?? []) if (this.labelsById.has(id)) excluded += 1;
    const fetch = Math.min(this.size, k + excluded);
    this.index.setEf(Math.max(MIN_EF_SEARCH, fetch));
    const { neighbors, distances } = this.index.searchKnn(Array.from(query), fetch);
    const hits: VectorHit[] = [];
    for (let i = 0; i < neighbors.length && hits.length < k; i++) {
      const id = this.idsByLabel.get(neighbors[i]);
      // Cosine space distance is 1 - cosine similarity.
      if (id !== undefined && !exclude?.has(id)) hits.push({ id, score: 1 - distances[i] });
    }
    return hits;
  }

  /** Writes to a temporary file first, so a crash mid-write never leaves a torn index behind. */
  save(file: string): void {
    const temporary = `${file}.tmp`;
    this.index.writeIndexSync(temporary);
    renameSync(temporary, file);
  }

  private remember(id: string, label: number): void {
    this.labelsById.set(id, label);
    this.idsByLabel.set(label, id);
  }
}
