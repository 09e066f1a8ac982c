import { DomainError } from '@lemo/domain';
import { DataType, LoadState, type FieldType, type IndexDescription, type MilvusClient } from '@zilliz/milvus2-sdk-node';
import { createHash } from 'node:crypto';
import { INDEX_NOT_FOUND, codeOf, milvusCall } from './milvus-errors';

/** Field names of the vector collection. */
export const FIELDS = {
  pk: 'pk',
  tenant: 'tenant_id',
  scenario: 'scenario_id',
  item: 'item_id',
  vector: 'vector',
} as const;

/** Longest tenant, scenario and item id, in UTF-8 bytes (the VarChar max_length; domain ids are at most 128 ASCII characters). */
export const MAX_ID_BYTES = 256;
/** Tenants hash into this many partitions (Milvus' default for partition keys); fixed when the collection is created. */
const PARTITIONS = 16;
/** Same graph parameters as the embedded HNSW index. */
const HNSW = { M: 16, efConstruction: 200 };
export const INDEX_TYPE = 'HNSW';
export const METRIC = 'COSINE';

const schema = (dimension: number): FieldType[] => [
  { name: FIELDS.pk, data_type: DataType.VarChar, is_primary_key: true, max_length: 64, description: 'sha256 of tenant, scenario and item id' },
  { name: FIELDS.tenant, data_type: DataType.VarChar, is_partition_key: true, max_length: MAX_ID_BYTES },
  { name: FIELDS.scenario, data_type: DataType.VarChar, max_length: MAX_ID_BYTES },
  { name: FIELDS.item, data_type: DataType.VarChar, max_length: MAX_ID_BYTES },
  { name: FIELDS.vector, data_type: DataType.FloatVector, dim: dimension },
];

/**
 * The primary key of an item's vector: hex sha256 of tenant, scenario and item
 * id, so one item id in two namespaces never collides, and every key is 64
 * characters that need no escaping in a filter expression. Tenant and
 * scenario ids hold no NUL (see `checkNamespaceId`), so the join is unambiguous.
 */
export const primaryKey = (tenantId: string, scenarioId: string, itemId: string): string =>
  createHash('sha256').update(`${tenantId}\u0000${scenarioId}\u0000${itemId}`).digest('hex');

/** Ids that go into filter expressions: control characters cannot be written as Milvus string literals. */
function checkNamespaceId(field: string, value: string): void {
  if (value.length === 0) throw DomainError.invalid(field, 'must not be empty');
  if (Buffer.byteLength(value) > MAX_ID_BYTES) throw DomainError.invalid(field, `must be at most ${MAX_ID_BYTES} bytes`);
  if (/\p{Cc}/u.test(value)) throw DomainError.invalid(field, 'must not contain control characters');
}

/** A Milvus string literal: JSON's quoting (backslash escapes) is what the expression grammar reads. */
const literal = (value: string): string => JSON.stringify(value);

/** `pk in [...]` (or `pk not in [...]`) over primary keys: hex strings, safe to quote. */
export const pkFilter = (pks: readonly string[], operator: 'in' | 'not in' = 'in'): string => `${FIELDS.pk} ${operator} [${pks.map(literal).join(',')}]`;

/**
 * The filter every read, search and delete carries: it pins the tenant (the
 * partition key, so Milvus also prunes the search to that tenant's partition)
 * and the scenario. Validates both ids first.
 */
export function namespaceFilter(tenantId: string, scenarioId: string): string {
  checkNamespaceId('tenantId', tenantId);
  checkNamespaceId('scenarioId', scenarioId);
  return `${FIELDS.tenant} == ${literal(tenantId)} && ${FIELDS.scenario} == ${literal(scenarioId)}`;
}

/**
 * Creates the collection, its HNSW/COSINE index and loads it, or checks that
 * an existing one has the expected shape. Idempotent, and safe when several
 * processes start at once (a lost creation race is not an error).
 */
export async function ensureCollection(client: MilvusClient, collection: string, dimension: number): Promise<void> {
  const exists = async () => (await milvusCall('hasCollection', () => client.hasCollection({ collection_name: collection }))).value;
  if (!(await exists())) {
    try {
      await milvusCall('createCollection', () =>
        client.createCollection({
          collection_name: collection,
          fields: schema(dimension),
          num_partitions: PARTITIONS,
          consistency_level: 'Strong',
          description: 'lemo item vectors, all tenants; partition key tenant_id',
        }),
      );
    } catch (error) {
      if (!(await exists())) throw error;
    }
  }
  await checkSchema(client, collection, dimension);
  await ensureIndex(client, collection);
  // Loading is idempotent but the SDK polls its progress every 400 ms even when there is nothing to do: skip it when loaded.
  const { state } = await milvusCall('getLoadState', () => client.getLoadState({ collection_name: collection }));
  if (state !== LoadState.LoadStateLoaded) await milvusCall('loadCollection', () => client.loadCollection({ collection_name: collection }));
}

async function checkSchema(client: MilvusClient, collection: string, dimension: number): Promise<void> {
  const { schema: actual } = await milvusCall('describeCollection', () => client.describeCollection({ collection_name: collection }));
  const field = (name: string) => actual.fields.find((f) => f.name === name);
  const problems: string[] = [];
  const vector = field(FIELDS.vector);
  if (!vector || vector.data_type !== 'FloatVector') problems.push(`no FloatVector field '${FIELDS.vector}'`);
  else if (Number(vector.dim) !== dimension) problems.push(`vectors have ${String(vector.dim)} dimensions, configured ${dimension}`);
  if (!field(FIELDS.pk)?.is_primary_key) problems.push(`'${FIELDS.pk}' is not the primary key`);
  if (!field(FIELDS.tenant)?.is_partition_key) problems.push(`'${FIELDS.tenant}' is not the partition key`);
  for (const name of [FIELDS.scenario, FIELDS.item]) if (!field(name)) problems.push(`no field '${name}'`);
  if (problems.length > 0) {
    throw new DomainError(
      'FAILED_PRECONDITION',
      `milvus collection '${collection}' does not match the vector index schema: ${problems.join('; ')}; configure another collection name`,
    );
  }
}

/** The index on the vector field, if any. */
async function vectorIndexOf(client: MilvusClient, collection: string): Promise<IndexDescription | undefined> {
  const described = await milvusCall(
    'describeIndex',
    () => client.describeIndex({ collection_name: collection, field_name: FIELDS.vector }),
    (status) => codeOf(status) === INDEX_NOT_FOUND || status.error_code === 'IndexNotExist',
  );
  return described.index_descriptions.find((index) => index.field_name === FIELDS.vector);
}

async function ensureIndex(client: MilvusClient, collection: string): Promise<void> {
  let existing = await vectorIndexOf(client, collection);
  if (!existing) {
    try {
      await milvusCall('createIndex', () =>
        client.createIndex({ collection_name: collection, field_name: FIELDS.vector, index_type: INDEX_TYPE, metric_type: METRIC, params: HNSW }),
      );
      return;
    } catch (error) {
      // Another process starting at the same time may have created it first.
      existing = await vectorIndexOf(client, collection);
      if (!existing) throw error;
    }
  }
  // Scores are cosine similarities only under the COSINE metric; any index type will do (an operator may have chosen another).
  const metric = existing.params.find((param) => param.key === 'metric_type')?.value;
  if (metric !== METRIC) {
    throw new DomainError('FAILED_PRECONDITION', `milvus collection '${collection}' indexes vectors with metric ${String(metric)}, expected ${METRIC}`);
  }
}
