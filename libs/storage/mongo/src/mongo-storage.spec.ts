import { DomainError } from '@lemo/domain';
import { anEvent, anItem, aScenario, aUser, expectDomainError } from '@lemo/domain/testing';
import { dropAndClose, testOptions } from '../testing/mongo-harness';
import { MongoStorage } from './mongo-storage';

/** Free-form client data that FerretDB refuses as is: dotted and $ keys, arrays in arrays. */
const AWKWARD = { 'a.b': 1, $set: { x: 1 }, '50%': 'half', matrix: [[1, 2], [3]], deep: [{ rows: [[[]]] }] };

describe('MongoStorage on the real server', () => {
  let storage: MongoStorage;

  beforeEach(async () => {
    storage = await MongoStorage.open(testOptions());
  });

  afterEach(async () => {
    await dropAndClose(storage);
  });

  const raw = (collection: string, filter: Record<string, unknown> = {}) => storage.connection.db!.collection(collection).findOne(filter);

  it('round-trips free-form data the server cannot store as is, in every free-form field', async () => {
    const item = anItem('acme', 'home', 'i1', { metadata: { title: 'Odd', ...AWKWARD } });
    const user = aUser('acme', 'u1', { attributes: AWKWARD });
    const event = anEvent('acme', { event_id: 'e1', extra_data: AWKWARD, scenario_data: { custom_data: AWKWARD } });
    await storage.items.upsertMany([item]);
    await storage.users.upsert(user);
    await storage.events.append([event]);
    expect(await storage.items.get('acme', 'home', 'i1')).toEqual(item);
    expect(await storage.users.get('acme', 'u1')).toEqual(user);
    expect(await storage.events.recentByUser('acme', 'u1', { limit: 1 })).toEqual([event]);
  });

  it('stores plain documents: domain fields at the top, no version key, query helpers kept out of reads', async () => {
    await storage.scenarios.create(aScenario('acme', 'home'));
    await storage.items.upsertMany([anItem('acme', 'home', 'i1', { metadata: { title: 'Red Shoes', category: 'shoes', tags: ['Sale'] } })]);
    expect(await raw('scenarios')).toEqual({ _id: expect.anything(), ...aScenario('acme', 'home') });
    expect(await raw('items')).toMatchObject({
      tenant_id: 'acme',
      item_id: 'i1',
      _search: 'red shoes  sale',
      _category: 'shoes',
      _published_at: expect.any(Number),
    });
    expect(Object.keys((await storage.items.get('acme', 'home', 'i1'))!).sort()).toEqual([
      'created_at',
      'item_id',
      'metadata',
      'scenario_id',
      'status',
      'tenant_id',
      'updated_at',
    ]);
  });

  it('creates its indexes idempotently, tenant first in every one but the global key-hash lookup', async () => {
    await storage.ensureIndexes();
    const again = await MongoStorage.open({ ...testOptions(), database: storage.connection.name });
    await again.close();
    const db = storage.connection.db!;
    const indexes = new Map<string, Array<{ name: string; key: Record<string, number>; unique?: boolean }>>();
    for (const { name } of await db.listCollections().toArray()) indexes.set(name, (await db.collection(name).listIndexes().toArray()) as never);
    expect([...indexes.keys()].sort()).toEqual(
      [
        'api_keys',
        'behavior_events',
        'config_templates',
        'datasets',
        'experiments',
        'ingestion_reports',
        'items',
        'model_artifacts.files',
        'models',
        'scenarios',
        'tenants',
        'tracking_schemas',
        'users',
      ].sort(),
    );
    const secondary = [...indexes.entries()].flatMap(([collection, list]) =>
      list.filter((index) => index.name !== '_id_').map((index) => ({ collection, ...index })),
    );
    // GridFS file documents keep the tenant in their metadata.
    const tenantFirst = (key: Record<string, number>) => ['tenant_id', 'metadata.tenant_id'].includes(Object.keys(key)[0]);
    // A TTL index has a single field by definition (MongoDB only: FerretDB v1 has none).
    const ttl = (index: { name: string }) => index.name === 'ingestion_reports_ttl';
    const notTenantFirst = secondary.filter((index) => !tenantFirst(index.key) && !ttl(index));
    expect(notTenantFirst.map((index) => `${index.collection}.${index.name}`)).toEqual(['api_keys.key_hash_1']);
    expect(secondary.find((index) => index.collection === 'behavior_events' && index.unique)?.key).toEqual({ tenant_id: 1, event_id: 1 });
    expect(indexes.get('items')).toHaveLength(5);
  });

  it('names the document in a duplicate-key error', async () => {
    await storage.scenarios.create(aScenario('acme', 'home'));
    const error = await expectDomainError(() => storage.scenarios.create(aScenario('acme', 'home')), 'ALREADY_EXISTS');
    expect(error.message).toBe("scenario 'home' already exists");
  });

  it('sorts a batch with a single duplicate (the driver reports one write error, not a list)', async () => {
    await storage.events.append([anEvent('acme', { event_id: 'e1' })]);
    expect(await storage.events.append([anEvent('acme', { event_id: 'e1' }), anEvent('acme', { event_id: 'e2' })])).toEqual({
      inserted: ['e2'],
      duplicates: ['e1'],
    });
    expect(await storage.events.append([])).toEqual({ inserted: [], duplicates: [] });
  });

  it('lets concurrent upserts of one new key all succeed, the last write winning', async () => {
    const versions = Array.from({ length: 8 }, (_, i) => aUser('acme', 'u1', { attributes: { version: i } }));
    await Promise.all(versions.map((user) => storage.users.upsert(user)));
    expect(await storage.users.count('acme')).toBe(1);
    expect(versions.map((user) => user.attributes)).toContainEqual((await storage.users.get('acme', 'u1'))?.attributes);
  });

  it('matches search words literally: regular expression syntax in a query is just text', async () => {
    await storage.items.upsertMany([
      anItem('acme', 'home', 'cpp', { metadata: { title: 'C++ Primer (v1.2)' } }),
      anItem('acme', 'home', 'other', { metadata: { title: 'Cxx Primer v112' } }),
    ]);
    const ids = async (query: string) => (await storage.items.search('acme', 'home', query, { page: 1, pageSize: 10 })).items.map((item) => item.item_id);
    expect(await ids('c++')).toEqual(['cpp']);
    expect(await ids('(v1.2)')).toEqual(['cpp']);
    expect(await ids('.*')).toEqual([]);
    expect(await ids('   ')).toEqual([]);
  });

  it('refuses a scan batch size that would never end', async () => {
    const scan = storage.events.scan('acme', 'home', { batchSize: 0 })[Symbol.asyncIterator]();
    await expectDomainError(() => scan.next(), 'VALIDATION_FAILED');
  });

  it('reports UNAVAILABLE, and an unhealthy server, once the connection is closed', async () => {
    await storage.close();
    await expectDomainError(() => storage.items.count('acme'), 'UNAVAILABLE');
    await expectDomainError(() => storage.events.append([anEvent('acme')]), 'UNAVAILABLE');
    expect(await storage.health.check()).toEqual([{ name: 'mongodb', ok: false, detail: expect.any(String) }]);
    storage = await MongoStorage.open({ ...testOptions(), database: storage.connection.name });
  });
});

describe('MongoStorage.open', () => {
  it('fails with UNAVAILABLE when no server answers', async () => {
    const error = await MongoStorage.open({ url: 'mongodb://127.0.0.1:9', database: 'lemo_unreachable', serverSelectionTimeoutMs: 300 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
  });

  it.each([
    [{ url: 'http://localhost', database: 'lemo' }, 'url'],
    [{ url: 'mongodb://127.0.0.1', database: 'bad.name' }, 'database'],
    [{ url: 'mongodb://127.0.0.1', database: 'lemo', serverSelectionTimeoutMs: 0 }, 'serverSelectionTimeoutMs'],
  ])('refuses invalid options %j', async (options, field) => {
    const error = await expectDomainError(() => MongoStorage.open(options), 'VALIDATION_FAILED');
    expect(error.issues[0]?.field).toBe(field);
  });
});
