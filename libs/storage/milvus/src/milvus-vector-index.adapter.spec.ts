import { bruteForceTopK, expectDomainError, nearAxis, plantedClusters } from '@lemo/domain/testing';
import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { adminClient, dropCollection, openTestStorage, TEST_DIMENSION, testOptions } from '../testing/milvus-harness';
import { MilvusStorage } from './milvus-storage';
import { MAX_TOP_K } from './milvus-vector-index.adapter';

const axis = (i: number, sign = 1) => nearAxis(TEST_DIMENSION, i, 0, () => 0).map((x) => x * sign);
const idsOf = (hits: ReadonlyArray<{ id: string }>) => hits.map((hit) => hit.id);
const data = plantedClusters(TEST_DIMENSION, 3, 20);

describe('MilvusVectorIndex on one shared collection', () => {
  let opened: Awaited<ReturnType<typeof openTestStorage>>;
  const vectors = () => opened.storage.vectors;
  beforeEach(async () => (opened = await openTestStorage()));
  afterEach(() => opened.close());

  it('keeps tenant_id as the partition key, so each tenant is pruned to its own partition', async () => {
    const { schema } = await adminClient().describeCollection({ collection_name: opened.options.collection });
    const partitionKeys = schema.fields.filter((field) => field.is_partition_key).map((field) => field.name);
    expect(partitionKeys).toEqual(['tenant_id']);
  });

  it('never lets a tenant reach the rows of another tenant that uses the same item ids', async () => {
    const ids = ['a', 'b', 'c'];
    // globex's vectors are exactly the query; acme's point the other way.
    await vectors().upsert(
      'globex',
      'home',
      ids.map((id) => ({ id, vector: axis(0) })),
    );
    await vectors().upsert(
      'acme',
      'home',
      ids.map((id) => ({ id, vector: axis(0, -1) })),
    );
    const hits = await vectors().search('acme', 'home', axis(0), 10);
    expect(idsOf(hits).sort()).toEqual(ids);
    expect(hits.every((hit) => hit.score < -0.99)).toBe(true);
    expect([...(await vectors().get('acme', 'home', ids)).values()].every((vector) => vector[0] === -1)).toBe(true);
    await vectors().remove('acme', 'home', ids);
    expect(await vectors().count('acme', 'home')).toBe(0);
    expect(await vectors().count('globex', 'home')).toBe(3);
    expect((await vectors().get('globex', 'home', ids)).size).toBe(3);
  });

  it('treats quotes and operators in ids as data, never as filter syntax', async () => {
    await vectors().upsert('globex', 'home', [{ id: 'secret', vector: axis(0) }]);
    const injected = 'home" || tenant_id != "acme';
    expect(await vectors().search('acme', injected, axis(0), 10)).toEqual([]);
    expect(await vectors().count('acme', injected)).toBe(0);
    await vectors().upsert('acme', injected, [{ id: 'quoted "id" \\ too', vector: axis(1) }]);
    expect(idsOf(await vectors().search('acme', injected, axis(1), 10))).toEqual(['quoted "id" \\ too']);
    expect(await vectors().count('globex', 'home')).toBe(1);
  });

  it('refuses tenant and scenario ids that cannot be written as filter literals or stored', async () => {
    await expectDomainError(() => vectors().search('acme\u0000', 'home', axis(0), 1), 'VALIDATION_FAILED');
    await expectDomainError(() => vectors().count('acme', 'x'.repeat(257)), 'VALIDATION_FAILED');
    await expectDomainError(() => vectors().upsert('acme', '', [{ id: 'a', vector: axis(0) }]), 'VALIDATION_FAILED');
    await expectDomainError(() => vectors().upsert('acme', 'home', [{ id: 'a', vector: axis(0).map(() => Number.NaN) }]), 'VALIDATION_FAILED');
  });

  it('keeps the last of duplicate ids in one upsert', async () => {
    await vectors().upsert('acme', 'home', [
      { id: 'dup', vector: axis(0) },
      { id: 'dup', vector: axis(1) },
    ]);
    expect(await vectors().count('acme', 'home')).toBe(1);
    expect(Array.from((await vectors().get('acme', 'home', ['dup'])).get('dup') ?? [])).toEqual(axis(1));
  });

  it('writes, reads and removes more ids than one request carries', async () => {
    const many = plantedClusters(TEST_DIMENSION, 3, 900, 5);
    await vectors().upsert('acme', 'home', many);
    expect(await vectors().count('acme', 'home')).toBe(many.length);
    const stored = await vectors().get(
      'acme',
      'home',
      many.map((entry) => entry.id),
    );
    expect([...stored.keys()]).toEqual(many.map((entry) => entry.id));
    await vectors().remove(
      'acme',
      'home',
      many.slice(0, 2000).map((entry) => entry.id),
    );
    expect(await vectors().count('acme', 'home')).toBe(many.length - 2000);
  });

  it(`moves exclusions into the filter when over-fetching would pass Milvus' topK limit of ${MAX_TOP_K}`, async () => {
    await vectors().upsert('acme', 'home', data);
    const query = data[25].vector;
    const seen = bruteForceTopK(data, query, 3);
    const exclude = new Set([...seen, ...Array.from({ length: MAX_TOP_K }, (_, i) => `never-stored-${i}`)]);
    const search = jest.spyOn(MilvusClient.prototype, 'search');
    const hits = await vectors().search('acme', 'home', query, 5, exclude);
    expect(idsOf(hits)).toEqual(bruteForceTopK(data, query, 5, new Set(seen)));
    // Milvus Lite would accept the larger limit; a real Milvus refuses it.
    expect(search).toHaveBeenCalledWith(expect.objectContaining({ limit: 5, filter: expect.stringContaining('pk not in [') }));
  });

  it('answers FAILED_PRECONDITION when the collection was dropped under it, and reports itself unhealthy', async () => {
    await dropCollection(opened.options.collection);
    await expectDomainError(() => vectors().count('acme', 'home'), 'FAILED_PRECONDITION');
    const [report] = await opened.storage.health.check();
    expect(report).toMatchObject({ name: 'milvus', ok: false });
  });

  it('fails with UNAVAILABLE, and reports itself down, once its client is closed', async () => {
    await opened.storage.close();
    await expectDomainError(() => vectors().search('acme', 'home', axis(0), 3), 'UNAVAILABLE');
    await expectDomainError(() => vectors().upsert('acme', 'home', [{ id: 'a', vector: axis(0) }]), 'UNAVAILABLE');
    expect(await opened.storage.health.check()).toEqual([expect.objectContaining({ name: 'milvus', ok: false })]);
  });
});

describe('MilvusStorage.open', () => {
  const created: string[] = [];
  afterEach(async () => {
    for (const collection of created.splice(0)) await dropCollection(collection);
  });
  const options = (overrides: Parameters<typeof testOptions>[0] = {}) => {
    const result = testOptions(overrides);
    created.push(result.collection);
    return result;
  };

  it('finds the stored vectors again from a new client (a restarted process), creating nothing twice', async () => {
    const shared = options();
    const before = await MilvusStorage.open(shared);
    await before.vectors.upsert('acme', 'home', data);
    await before.close();

    const after = await MilvusStorage.open(shared);
    expect(await after.vectors.count('acme', 'home')).toBe(data.length);
    expect(idsOf(await after.vectors.search('acme', 'home', data[25].vector, 5))).toEqual(bruteForceTopK(data, data[25].vector, 5));
    const { index_descriptions } = await adminClient().describeIndex({ collection_name: shared.collection });
    expect(index_descriptions).toHaveLength(1);
    await after.close();
  });

  it('lets several processes start at once on a new collection (a lost creation race is no error)', async () => {
    const shared = options();
    const replicas = await Promise.all([MilvusStorage.open(shared), MilvusStorage.open(shared), MilvusStorage.open(shared)]);
    await replicas[0].vectors.upsert('acme', 'home', data);
    expect(await replicas[2].vectors.count('acme', 'home')).toBe(data.length);
    await Promise.all(replicas.map((replica) => replica.close()));
  });

  it('names the collection after the dimension by default', async () => {
    // Above the dimensions apps are configured with (at most 4096), so no real collection is touched.
    const dimension = 4097 + Math.floor(Math.random() * 10_000);
    const storage = await MilvusStorage.open({ ...options(), collection: undefined, dimension });
    created.push(storage.collection);
    expect(storage.collection).toBe(`lemo_item_vectors_${dimension}d`);
    await storage.close();
  });

  it('refuses to start on a collection of another dimension', async () => {
    const first = options();
    await (await MilvusStorage.open(first)).close();
    const error = await expectDomainError(() => MilvusStorage.open({ ...first, dimension: TEST_DIMENSION * 2 }), 'FAILED_PRECONDITION');
    expect(error.message).toContain(`vectors have ${TEST_DIMENSION} dimensions, configured ${TEST_DIMENSION * 2}`);
  });

  it('refuses to start on a collection indexed with another metric (scores would not be cosine)', async () => {
    const { collection } = options();
    const admin = adminClient();
    await admin.createCollection({
      collection_name: collection,
      fields: [
        { name: 'pk', data_type: DataType.VarChar, is_primary_key: true, max_length: 64 },
        { name: 'tenant_id', data_type: DataType.VarChar, is_partition_key: true, max_length: 256 },
        { name: 'scenario_id', data_type: DataType.VarChar, max_length: 256 },
        { name: 'item_id', data_type: DataType.VarChar, max_length: 256 },
        { name: 'vector', data_type: DataType.FloatVector, dim: TEST_DIMENSION },
      ],
    });
    await admin.createIndex({ collection_name: collection, field_name: 'vector', index_type: 'HNSW', metric_type: 'L2', params: { M: 8, efConstruction: 64 } });
    await expectDomainError(() => MilvusStorage.open(testOptions({ collection })), 'FAILED_PRECONDITION');
  });

  it('fails with UNAVAILABLE when Milvus cannot be reached', async () => {
    await expectDomainError(() => MilvusStorage.open({ address: '127.0.0.1:1', dimension: TEST_DIMENSION, timeoutMs: 2000 }), 'UNAVAILABLE');
  });
});
