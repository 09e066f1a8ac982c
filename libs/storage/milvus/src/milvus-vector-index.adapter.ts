import { DomainError, VectorIndex, type VectorEntry, type VectorHit } from '@lemo/domain';
import { ConsistencyLevelEnum, type MilvusClient } from '@zilliz/milvus2-sdk-node';
import { milvusCall } from './milvus-errors';
import type { MilvusConsistency } from './milvus-storage.options';
import { FIELDS, MAX_ID_BYTES, METRIC, namespaceFilter, pkFilter, primaryKey } from './vector-collection';

/** Milvus refuses a search limit (topK) above this. */
export const MAX_TOP_K = 16_384;
/** Rows per upsert request and keys per `pk in [...]` filter: keeps requests far below Milvus' 64 MB message limit. */
const BATCH = 1_000;
/** The HNSW candidate list is at least this long, and never shorter than the limit (Milvus requires ef >= limit). */
const MIN_EF = 64;

interface Row {
  [field: string]: string | number[];
}

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * The VectorIndex port on Milvus: one collection for all tenants (of one
 * dimension), tenant_id as partition key, and a tenant + scenario filter on
 * every search, query and delete, so no call can reach another namespace.
 * Reads run at the configured consistency level (Strong: a search right
 * after an upsert sees it).
 */
export class MilvusVectorIndex extends VectorIndex {
  private readonly consistency: ConsistencyLevelEnum;

  constructor(
    private readonly client: MilvusClient,
    private readonly collection: string,
    readonly dimension: number,
    consistency: MilvusConsistency = 'Strong',
  ) {
    super();
    this.consistency = ConsistencyLevelEnum[consistency];
  }

  async upsert(tenantId: string, scenarioId: string, entries: readonly VectorEntry[]): Promise<void> {
    namespaceFilter(tenantId, scenarioId); // validates both ids
    // Validate everything before writing anything; the last entry for an id wins (Milvus refuses duplicate keys in one request).
    const rows = new Map<string, Row>();
    entries.forEach((entry, i) => {
      if (entry.id.length === 0 || Buffer.byteLength(entry.id) > MAX_ID_BYTES)
        throw DomainError.invalid(`entries.${i}.id`, `must be 1 to ${MAX_ID_BYTES} bytes`);
      const vector = this.checkVector(entry.vector, `entries.${i}.vector`);
      rows.set(entry.id, {
        [FIELDS.pk]: primaryKey(tenantId, scenarioId, entry.id),
        [FIELDS.tenant]: tenantId,
        [FIELDS.scenario]: scenarioId,
        [FIELDS.item]: entry.id,
        [FIELDS.vector]: vector,
      });
    });
    for (const batch of chunks([...rows.values()], BATCH)) {
      await milvusCall('upsert', () => this.client.upsert({ collection_name: this.collection, data: batch }));
    }
  }

  async remove(tenantId: string, scenarioId: string, ids: readonly string[]): Promise<void> {
    const namespace = namespaceFilter(tenantId, scenarioId);
    for (const batch of chunks(this.keysOf(tenantId, scenarioId, ids), BATCH)) {
      // A delete by expression first looks the rows up: Strong, whatever the read level, so it finds rows upserted just before.
      await milvusCall('delete', () =>
        this.client.delete({ collection_name: this.collection, filter: `${namespace} && ${pkFilter(batch)}`, consistency_level: 'Strong' }),
      );
    }
  }

  async get(tenantId: string, scenarioId: string, ids: readonly string[]): Promise<Map<string, Float32Array>> {
    const namespace = namespaceFilter(tenantId, scenarioId);
    const found = new Map<string, Float32Array>();
    for (const batch of chunks(this.keysOf(tenantId, scenarioId, ids), BATCH)) {
      const { data } = await milvusCall('query', () =>
        this.client.query({
          collection_name: this.collection,
          filter: `${namespace} && ${pkFilter(batch)}`,
          output_fields: [FIELDS.item, FIELDS.vector],
          consistency_level: this.consistency,
        }),
      );
      for (const row of data) found.set(String(row[FIELDS.item]), Float32Array.from(row[FIELDS.vector] as number[]));
    }
    // In the order asked for, whatever order Milvus answered in.
    const ordered = new Map<string, Float32Array>();
    for (const id of ids) {
      const vector = found.get(id);
      if (vector) ordered.set(id, vector);
    }
    return ordered;
  }

  /**
   * Over-fetches by the number of excluded ids and filters them out here, so
   * k hits survive whenever the namespace holds them. When that would exceed
   * Milvus' topK limit, the exclusions go into the filter expression instead
   * (exact too, but a long expression to parse on every search).
   */
  async search(tenantId: string, scenarioId: string, vector: ArrayLike<number>, k: number, exclude?: ReadonlySet<string>): Promise<VectorHit[]> {
    const namespace = namespaceFilter(tenantId, scenarioId);
    const query = this.checkVector(vector, 'vector');
    if (!Number.isInteger(k)) throw DomainError.invalid('k', 'must be an integer');
    if (k <= 0) return [];
    const excluded = exclude ? [...exclude] : [];
    const excludeInFilter = excluded.length > 0 && k + excluded.length > MAX_TOP_K;
    const limit = Math.min(excludeInFilter ? k : k + excluded.length, MAX_TOP_K);
    const filter = excludeInFilter ? `${namespace} && ${pkFilter(this.keysOf(tenantId, scenarioId, excluded), 'not in')}` : namespace;
    const { results } = await milvusCall('search', () =>
      this.client.search({
        collection_name: this.collection,
        anns_field: FIELDS.vector,
        data: query,
        limit,
        filter,
        output_fields: [FIELDS.item],
        metric_type: METRIC,
        params: { ef: Math.max(MIN_EF, limit) },
        consistency_level: this.consistency,
      }),
    );
    const hits: VectorHit[] = [];
    for (const result of results) {
      const id = String(result[FIELDS.item]);
      if (!exclude?.has(id)) hits.push({ id, score: result.score });
      if (hits.length === k) break;
    }
    return hits;
  }

  async count(tenantId: string, scenarioId: string): Promise<number> {
    const namespace = namespaceFilter(tenantId, scenarioId);
    const { data } = await milvusCall('count', () =>
      this.client.query({ collection_name: this.collection, filter: namespace, output_fields: ['count(*)'], consistency_level: this.consistency }),
    );
    return Number(data[0]?.['count(*)'] ?? 0);
  }

  private keysOf(tenantId: string, scenarioId: string, ids: readonly string[]): string[] {
    return [...new Set(ids)].map((id) => primaryKey(tenantId, scenarioId, id));
  }

  /** Checks the dimension and finiteness; Milvus stores float32, so the numbers are kept as given. */
  private checkVector(vector: ArrayLike<number>, field: string): number[] {
    if (vector.length !== this.dimension) throw DomainError.invalid(field, `must have ${this.dimension} components, got ${vector.length}`);
    const copy = Array.from(vector, Number);
    if (!copy.every(Number.isFinite)) throw DomainError.invalid(field, 'must contain only finite numbers');
    return copy;
  }
}
