import { anItem, isoAt } from '@lemo/domain/testing';
import { dropAndClose, testOptions } from '../../testing/mongo-harness';
import { MongoStorage } from '../mongo-storage';
import { itemDocumentId } from './item-repository.adapter';

describe('itemDocumentId', () => {
  it('is the key joined by |, and never the same for two keys', () => {
    expect(itemDocumentId('acme', 'home', 'i1')).toBe('acme|home|i1');
    expect(itemDocumentId('a|b', 'c', 'd')).not.toBe(itemDocumentId('a', 'b|c', 'd'));
    expect(itemDocumentId('a%7Cb', 'c', 'd')).not.toBe(itemDocumentId('a|b', 'c', 'd'));
  });
});

describe('MongoItemRepository keyed ids (real server)', () => {
  let storage: MongoStorage;

  beforeEach(async () => {
    storage = await MongoStorage.open(testOptions());
  });

  afterEach(async () => {
    await dropAndClose(storage);
  });

  const items = () => storage.connection.db!.collection('items');
  const storedId = async (scenarioId: string, itemId: string) => (await items().findOne({ tenant_id: 'acme', scenario_id: scenarioId, item_id: itemId }))?._id;

  /** An item as the adapter stored it before keyed ids: replaced by key with upsert, so under a driver-minted ObjectId. */
  async function storeTheOldWay(item: ReturnType<typeof anItem>): Promise<unknown> {
    const key = { tenant_id: item.tenant_id, scenario_id: item.scenario_id, item_id: item.item_id };
    await items().replaceOne(key, { ...item, _search: String(item.metadata.title ?? '').toLowerCase(), _category: null, _published_at: 0 }, { upsert: true });
    return storedId(item.scenario_id, item.item_id);
  }

  it('stores new items under their key, so that an upsert reads one document by _id', async () => {
    await storage.items.upsertMany([anItem('acme', 'home', 'i1'), anItem('acme', 'news', 'i1')]);
    expect(await storedId('home', 'i1')).toBe('acme|home|i1');
    expect(await storedId('news', 'i1')).toBe('acme|news|i1');
  });

  it('replaces 150 stored items in one call (FerretDB never finishes one update command that replaces 100)', async () => {
    const ids = Array.from({ length: 150 }, (_, n) => `i${n}`);
    await storage.items.upsertMany(ids.map((id) => anItem('acme', 'home', id)));
    const replacements = ids.map((id) => anItem('acme', 'home', id, { status: 'inactive', updated_at: isoAt(1000) }));
    await storage.items.upsertMany(replacements);
    expect(await storage.items.count('acme', 'home')).toBe(150);
    expect((await storage.items.list('acme', 'home', { status: 'inactive' }, { page: 1, pageSize: 1 })).total).toBe(150);
  });

  it('replaces items stored under ObjectIds in place, beside new ones in the same batch, leaving one document per item', async () => {
    const oldHome = await storeTheOldWay(anItem('acme', 'home', 'old', { metadata: { title: 'old lamp' } }));
    const oldNews = await storeTheOldWay(anItem('acme', 'news', 'old', { metadata: { title: 'old news' } }));
    expect(String(oldHome)).toMatch(/^[0-9a-f]{24}$/); // an ObjectId, not a key
    // Found by its fields although not under its key.
    expect((await storage.items.get('acme', 'home', 'old'))?.metadata.title).toBe('old lamp');

    const batch = [
      anItem('acme', 'home', 'old', { status: 'inactive', metadata: { title: 'new lamp', category: 'lamps' }, updated_at: isoAt(1000) }),
      anItem('acme', 'home', 'fresh', { metadata: { title: 'fresh lamp' } }),
      anItem('acme', 'news', 'old', { metadata: { title: 'new news' }, updated_at: isoAt(1000) }),
    ];
    await storage.items.upsertMany(batch);

    expect(await items().countDocuments({})).toBe(3);
    for (const item of batch) expect(await storage.items.get(item.tenant_id, item.scenario_id, item.item_id)).toEqual(item);
    expect(await storedId('home', 'old')).toEqual(oldHome);
    expect(await storedId('news', 'old')).toEqual(oldNews);
    expect(await storedId('home', 'fresh')).toBe('acme|home|fresh');
    // Derived fields were rewritten with the document.
    const page = { page: 1, pageSize: 10 };
    expect((await storage.items.search('acme', 'home', 'lamp', page)).items.map((item) => item.item_id).sort()).toEqual(['fresh', 'old']);
    expect((await storage.items.list('acme', 'home', { category: 'lamps' }, page)).items.map((item) => item.item_id)).toEqual(['old']);

    // Deleted for good, an old item comes back under its key.
    expect(await storage.items.hardDelete('acme', 'home', ['old'])).toBe(1);
    await storage.items.upsertMany([batch[0]]);
    expect(await storedId('home', 'old')).toBe('acme|home|old');
    expect(await items().countDocuments({})).toBe(3);
  });
});
