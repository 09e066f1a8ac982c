import { Logger } from '@nestjs/common';
import { VectorIndex, type VectorEntry, type VectorHit } from '@lemo/domain';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { SqliteDatabase } from '../sqlite/sqlite-database';
import { guarded } from '../sqlite/sqlite-errors';
import { HnswNamespace, type LabelledVector } from './hnsw-namespace';
import { decodeVector, encodeVector, toFloat32 } from './vector-codec';
import { messageOf } from '../error-message';

export interface VectorIndexOptions {
  dimension: number;
  /** Where index files live (`<dataDir>/vectors`); null keeps indexes in memory only (rebuilt from SQLite on restart). */
  directory: string | null;
  /** Changed indexes are written this often, and on close. */
  flushIntervalMs: number;
}

interface NamespaceRow {
  dimension: number;
  next_label: number;
  version: number;
  flushed_version: number;
}

const NAMESPACE = 'tenant_id = ? AND scenario_id = ?';

/**
 * Cosine ANN over hnswlib, one graph per (tenant, scenario). SQLite holds every
 * vector (float32 blobs) and the id -> label map, so a graph can always be
 * rebuilt; the graph file is only a start-up shortcut, trusted when its
 * recorded version matches the namespace's. Graphs load on first use. One
 * process owns the graphs of a database file (the embedded profile's shape).
 */
export class HnswVectorIndex extends VectorIndex {
  readonly dimension: number;
  private readonly logger = new Logger('HnswVectorIndex');
  private readonly namespaces = new Map<string, HnswNamespace>();
  private readonly dirty = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly options: VectorIndexOptions,
  ) {
    super();
    this.dimension = options.dimension;
    this.timer = setInterval(() => this.flush(), options.flushIntervalMs).unref();
  }

  async upsert(tenantId: string, scenarioId: string, entries: readonly VectorEntry[]): Promise<void> {
    // Validate everything before writing anything; the last entry for an id wins.
    const vectors = new Map(entries.map((entry, i) => [entry.id, toFloat32(entry.vector, this.dimension, `vectors.${i}.vector`)]));
    if (vectors.size === 0) return;
    await guarded(() => {
      const graph = this.graph(tenantId, scenarioId);
      const labelled = this.db.write(() => {
        const row = this.namespaceRow(tenantId, scenarioId);
        let nextLabel = row.next_label;
        const write = this.db.statement(
          'INSERT INTO vectors (tenant_id, scenario_id, item_id, label, vector) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET vector = excluded.vector',
        );
        const result: LabelledVector[] = [];
        for (const [id, vector] of vectors) {
          const label = graph.labelOf(id) ?? nextLabel++;
          write.run(tenantId, scenarioId, id, label, encodeVector(vector));
          result.push({ id, label, vector });
        }
        this.db.statement(`UPDATE vector_namespaces SET next_label = ?, version = version + 1 WHERE ${NAMESPACE}`).run(nextLabel, tenantId, scenarioId);
        return result;
      });
      graph.upsert(labelled);
      this.dirty.add(this.key(tenantId, scenarioId));
    });
  }

  async remove(tenantId: string, scenarioId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await guarded(() => {
      const graph = this.existingGraph(tenantId, scenarioId);
      if (!graph) return;
      this.db.write(() => {
        const { changes } = this.db
          .statement(`DELETE FROM vectors WHERE ${NAMESPACE} AND item_id IN (SELECT value FROM json_each(?))`)
          .run(tenantId, scenarioId, JSON.stringify(ids));
        if (changes > 0) this.db.statement(`UPDATE vector_namespaces SET version = version + 1 WHERE ${NAMESPACE}`).run(tenantId, scenarioId);
      });
      graph.remove(ids);
      this.dirty.add(this.key(tenantId, scenarioId));
    });
  }

  get(tenantId: string, scenarioId: string, ids: readonly string[]): Promise<Map<string, Float32Array>> {
    return guarded(() => {
      const rows = this.db
        .statement(`SELECT item_id, vector FROM vectors WHERE ${NAMESPACE} AND item_id IN (SELECT value FROM json_each(?))`)
        .all(tenantId, scenarioId, JSON.stringify(ids)) as Array<{ item_id: string; vector: Buffer }>;
      return new Map(rows.map((row) => [row.item_id, decodeVector(row.vector)]));
    });
  }

  async search(tenantId: string, scenarioId: string, vector: ArrayLike<number>, k: number, exclude?: ReadonlySet<string>): Promise<VectorHit[]> {
    const query = toFloat32(vector, this.dimension, 'vector');
    return guarded(() => this.existingGraph(tenantId, scenarioId)?.search(query, k, exclude) ?? []);
  }

  count(tenantId: string, scenarioId: string): Promise<number> {
    return guarded(() => (this.db.statement(`SELECT COUNT(*) AS total FROM vectors WHERE ${NAMESPACE}`).get(tenantId, scenarioId) as { total: number }).total);
  }

  /** Writes every changed graph to disk. */
  flush(): void {
    if (!this.options.directory) return this.dirty.clear();
    for (const key of [...this.dirty]) {
      const [tenantId, scenarioId] = JSON.parse(key) as [string, string];
      const graph = this.namespaces.get(key);
      if (!graph) continue;
      try {
        const { version } = this.namespaceRow(tenantId, scenarioId);
        const file = this.fileOf(tenantId, scenarioId);
        mkdirSync(path.dirname(file), { recursive: true });
        graph.save(file);
        this.db.statement(`UPDATE vector_namespaces SET flushed_version = ? WHERE ${NAMESPACE}`).run(version, tenantId, scenarioId);
        this.dirty.delete(key);
      } catch (error) {
        this.logger.warn(`could not write the vector index of ${tenantId}/${scenarioId}: ${messageOf(error)}`);
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
    this.namespaces.clear();
  }

  private key(tenantId: string, scenarioId: string): string {
    return JSON.stringify([tenantId, scenarioId]);
  }

  private fileOf(tenantId: string, scenarioId: string): string {
    // Tenant and scenario ids are restricted to [A-Za-z0-9_.:@-] (plus '#' in derived namespaces) and never start with '.', so they are safe path segments.
    return path.join(this.options.directory ?? '', tenantId, `${scenarioId}.hnsw`);
  }

  /** The namespace's row, created on first use. */
  private namespaceRow(tenantId: string, scenarioId: string): NamespaceRow {
    this.db.statement('INSERT OR IGNORE INTO vector_namespaces (tenant_id, scenario_id, dimension) VALUES (?, ?, ?)').run(tenantId, scenarioId, this.dimension);
    return this.db
      .statement(`SELECT dimension, next_label, version, flushed_version FROM vector_namespaces WHERE ${NAMESPACE}`)
      .get(tenantId, scenarioId) as NamespaceRow;
  }

  /** Reads must not create namespaces (and allocate graphs) for ids nobody wrote to. */
  private existingGraph(tenantId: string, scenarioId: string): HnswNamespace | null {
    if (this.namespaces.has(this.key(tenantId, scenarioId))) return this.graph(tenantId, scenarioId);
    const exists = this.db.statement(`SELECT 1 FROM vector_namespaces WHERE ${NAMESPACE}`).get(tenantId, scenarioId);
    return exists ? this.graph(tenantId, scenarioId) : null;
  }

  private graph(tenantId: string, scenarioId: string): HnswNamespace {
    const key = this.key(tenantId, scenarioId);
    let graph = this.namespaces.get(key);
    if (!graph) {
      graph = this.loadGraph(tenantId, scenarioId);
      this.namespaces.set(key, graph);
    }
    return graph;
  }

  private loadGraph(tenantId: string, scenarioId: string): HnswNamespace {
    const row = this.db.write(() => this.adoptDimension(tenantId, scenarioId));
    const file = this.options.directory ? this.fileOf(tenantId, scenarioId) : null;
    if (file && row.flushed_version === row.version && existsSync(file)) {
      try {
        const labels = this.db.statement(`SELECT item_id AS id, label FROM vectors WHERE ${NAMESPACE}`).all(tenantId, scenarioId) as Array<{
          id: string;
          label: number;
        }>;
        return HnswNamespace.load(this.dimension, file, labels);
      } catch (error) {
        this.logger.warn(`rebuilding the vector index of ${tenantId}/${scenarioId}: ${messageOf(error)}`);
      }
    }
    return this.rebuild(tenantId, scenarioId);
  }

  /** Vectors of another dimension (the configured one changed) can never be searched again: they are dropped. */
  private adoptDimension(tenantId: string, scenarioId: string): NamespaceRow {
    const row = this.namespaceRow(tenantId, scenarioId);
    if (row.dimension === this.dimension) return row;
    const dropped = this.db.statement(`DELETE FROM vectors WHERE ${NAMESPACE}`).run(tenantId, scenarioId).changes;
    this.logger.warn(`vector dimension of ${tenantId}/${scenarioId} changed from ${row.dimension} to ${this.dimension}: dropped ${dropped} vectors`);
    this.db.statement(`UPDATE vector_namespaces SET dimension = ?, version = version + 1 WHERE ${NAMESPACE}`).run(this.dimension, tenantId, scenarioId);
    return this.namespaceRow(tenantId, scenarioId);
  }

  private rebuild(tenantId: string, scenarioId: string): HnswNamespace {
    const rows = this.db.statement(`SELECT item_id, label, vector FROM vectors WHERE ${NAMESPACE}`).all(tenantId, scenarioId) as Array<{
      item_id: string;
      label: number;
      vector: Buffer;
    }>;
    const graph = HnswNamespace.empty(this.dimension, Math.ceil(rows.length * 1.5));
    graph.upsert(rows.map((row) => ({ id: row.item_id, label: row.label, vector: decodeVector(row.vector) })));
    if (rows.length > 0) this.dirty.add(this.key(tenantId, scenarioId));
    return graph;
  }
}
