import type { Item, ItemRepository } from '../../src/index';
import { expectDomainError } from '../assertions';
import { anItem, isoAt } from '../fixtures';
import { useHarness, type HarnessFactory } from '../harness';

const idsOf = (items: readonly Item[]) => items.map((item) => item.item_id);
const sortedIds = (items: readonly Item[]) => idsOf(items).sort();

export function itemRepositoryContract(name: string, create: HarnessFactory<ItemRepository>): void {
  describe(`ItemRepository contract (${name})`, () => {
    const repo = useHarness(create);
    const page = (size = 10, number = 1) => ({ page: number, pageSize: size });

    it('returns upserted items as stored, embedding and metadata included', async () => {
      const item = anItem('acme', 'home', 'i1', {
        embedding: [0.25, -1, 3.5],
        metadata: { title: 'Red shoes', tags: ['sale'], price: 9.5, publish_time: 1_700_000_000_000, extra: { a: [1, 2] } },
      });
      await repo().upsertMany([item, anItem('acme', 'home', 'i2')]);
      expect(await repo().get('acme', 'home', 'i1')).toEqual(item);
      expect(await repo().get('acme', 'home', 'missing')).toBeNull();
      expect(await repo().count('acme', 'home')).toBe(2);
    });

    it('replaces an item upserted again, by (tenant, scenario, item_id)', async () => {
      await repo().upsertMany([anItem('acme', 'home', 'i1', { metadata: { title: 'old', category: 'a' } })]);
      const replacement = anItem('acme', 'home', 'i1', { status: 'inactive', metadata: { title: 'new', category: 'b' }, updated_at: isoAt(1000) });
      await repo().upsertMany([replacement]);
      expect(await repo().get('acme', 'home', 'i1')).toEqual(replacement);
      expect(await repo().count('acme')).toBe(1);
      expect(sortedIds((await repo().list('acme', 'home', { category: 'a' }, page())).items)).toEqual([]);
      expect(sortedIds((await repo().search('acme', 'home', 'old', page())).items)).toEqual([]);
      expect(sortedIds((await repo().search('acme', 'home', 'new', page())).items)).toEqual(['i1']);
    });

    it('writes an item named twice in one batch as its last version', async () => {
      const last = anItem('acme', 'home', 'i1', { metadata: { title: 'second' } });
      await repo().upsertMany([anItem('acme', 'home', 'i1', { metadata: { title: 'first' } }), anItem('acme', 'home', 'i2'), last]);
      expect(await repo().get('acme', 'home', 'i1')).toEqual(last);
      expect(await repo().count('acme', 'home')).toBe(2);
    });

    it('leaves one whole item per key when writers upsert the same new items at once, none failing', async () => {
      const ids = ['c1', 'c2', 'c3', 'c4'];
      // Each writer's batch overlaps the others' (same new items, other versions) and adds one item of its own.
      const batches = Array.from({ length: 6 }, (_, writer) => [
        ...ids.map((id) => anItem('acme', 'home', id, { metadata: { title: `writer ${writer}` }, updated_at: isoAt(writer) })),
        anItem('acme', 'home', `own-${writer}`),
      ]);
      await Promise.all(batches.map((batch) => repo().upsertMany(batch)));
      expect(await repo().count('acme', 'home')).toBe(ids.length + batches.length);
      for (const id of ids) {
        const versions = batches.map((batch) => batch.find((item) => item.item_id === id));
        expect(versions).toContainEqual(await repo().get('acme', 'home', id));
      }
      // A later write replaces whatever won.
      const settled = anItem('acme', 'home', 'c1', { status: 'inactive' });
      await repo().upsertMany([settled]);
      expect(await repo().get('acme', 'home', 'c1')).toEqual(settled);
      expect(await repo().count('acme', 'home')).toBe(ids.length + batches.length);
    });

    it('keeps tenants and scenarios apart in every read and delete', async () => {
      await repo().upsertMany([
        anItem('acme', 'home', 'i1', { metadata: { title: 'acme shoe' } }),
        anItem('acme', 'news', 'i1', { metadata: { title: 'acme news shoe' } }),
        anItem('globex', 'home', 'i1', { metadata: { title: 'globex shoe' } }),
      ]);
      expect((await repo().get('globex', 'home', 'i1'))?.metadata.title).toBe('globex shoe');
      expect((await repo().getMany('acme', 'home', ['i1'])).map((i) => i.metadata.title)).toEqual(['acme shoe']);
      expect((await repo().list('acme', 'home', {}, page())).total).toBe(1);
      expect((await repo().search('acme', 'home', 'shoe', page())).items.map((i) => i.metadata.title)).toEqual(['acme shoe']);
      expect(idsOf(await repo().latest('globex', 'home', 10))).toEqual(['i1']);
      expect(await repo().count('acme')).toBe(2);
      expect(await repo().count('acme', 'news')).toBe(1);
      expect(await repo().hardDelete('globex', 'home', ['i1'])).toBe(1);
      expect(await repo().get('acme', 'home', 'i1')).not.toBeNull();
      expect(await repo().get('acme', 'news', 'i1')).not.toBeNull();
    });

    it('gets many by id, skipping unknown ones', async () => {
      await repo().upsertMany(['i1', 'i2', 'i3'].map((id) => anItem('acme', 'home', id)));
      expect(sortedIds(await repo().getMany('acme', 'home', ['i3', 'nope', 'i1']))).toEqual(['i1', 'i3']);
      expect(await repo().getMany('acme', 'home', [])).toEqual([]);
    });

    it('lists by status and category, newest first, in pages with the total', async () => {
      await repo().upsertMany([
        anItem('acme', 'home', 'a1', { created_at: isoAt(1000), metadata: { category: 'shoes' } }),
        anItem('acme', 'home', 'a2', { created_at: isoAt(2000), metadata: { category: 'shoes' } }),
        anItem('acme', 'home', 'a3', { created_at: isoAt(3000), metadata: { category: 'hats' } }),
        anItem('acme', 'home', 'a4', { created_at: isoAt(4000), metadata: { category: 'shoes' }, status: 'inactive' }),
        anItem('acme', 'home', 'a5', { created_at: isoAt(5000), metadata: { category: 'shoes' } }),
      ]);
      const all = await repo().list('acme', 'home', {}, page(2, 1));
      expect(all.total).toBe(5);
      expect(idsOf(all.items)).toEqual(['a5', 'a4']);
      expect(idsOf((await repo().list('acme', 'home', {}, page(2, 3))).items)).toEqual(['a1']);
      const shoes = await repo().list('acme', 'home', { category: 'shoes', status: 'active' }, page(2, 1));
      expect(shoes.total).toBe(3);
      expect(idsOf(shoes.items)).toEqual(['a5', 'a2']);
      expect(idsOf((await repo().list('acme', 'home', { status: 'inactive' }, page())).items)).toEqual(['a4']);
    });

    it('searches title, description and tags for every word, ignoring case and deleted items', async () => {
      await repo().upsertMany([
        anItem('acme', 'home', 'title', { metadata: { title: 'Red Running Shoes' } }),
        anItem('acme', 'home', 'desc', { metadata: { title: 'Jacket', description: 'for RUNNING in the red rain' } }),
        anItem('acme', 'home', 'tags', { metadata: { title: 'Socks', tags: ['red', 'running'] } }),
        anItem('acme', 'home', 'one-word', { metadata: { title: 'Running shorts' } }),
        anItem('acme', 'home', 'deleted', { status: 'deleted', metadata: { title: 'Red running cap' } }),
        anItem('acme', 'home', 'inactive', { status: 'inactive', metadata: { title: 'red running belt' } }),
      ]);
      const found = await repo().search('acme', 'home', 'running RED', page());
      expect(sortedIds(found.items)).toEqual(['desc', 'inactive', 'tags', 'title']);
      expect(found.total).toBe(4);
      expect(sortedIds((await repo().search('acme', 'home', 'socks', page())).items)).toEqual(['tags']);
      expect((await repo().search('acme', 'home', 'purple', page())).total).toBe(0);
    });

    it('finds words inside unsegmented CJK text, two-character words included', async () => {
      await repo().upsertMany([
        anItem('acme', 'home', 'phone', { metadata: { title: '苹果手机新款发布', tags: ['数码'] } }),
        anItem('acme', 'home', 'tv', { metadata: { title: '电视新款' } }),
      ]);
      expect(sortedIds((await repo().search('acme', 'home', '手机', page())).items)).toEqual(['phone']);
      expect(sortedIds((await repo().search('acme', 'home', '新款', page())).items)).toEqual(['phone', 'tv']);
      expect(sortedIds((await repo().search('acme', 'home', '手机新款', page())).items)).toEqual(['phone']);
      expect(sortedIds((await repo().search('acme', 'home', '新款 数码', page())).items)).toEqual(['phone']);
    });

    it('pages search results with the total', async () => {
      await repo().upsertMany(
        ['s1', 's2', 's3'].map((id, i) => anItem('acme', 'home', id, { created_at: isoAt(i * 1000), metadata: { title: 'blue kettle' } })),
      );
      const first = await repo().search('acme', 'home', 'kettle', page(2, 1));
      const second = await repo().search('acme', 'home', 'kettle', page(2, 2));
      expect([first.total, second.total]).toEqual([3, 3]);
      expect([...idsOf(first.items), ...idsOf(second.items)].sort()).toEqual(['s1', 's2', 's3']);
    });

    it('lists the latest active items by publish time, falling back to creation time', async () => {
      await repo().upsertMany([
        anItem('acme', 'home', 'old', { metadata: { publish_time: Date.parse('2024-01-01T00:00:00Z') }, created_at: isoAt(9000) }),
        anItem('acme', 'home', 'iso', { metadata: { publish_time: '2024-06-01T00:00:00Z' } }),
        anItem('acme', 'home', 'created', { created_at: '2024-03-01T00:00:00.000Z' }),
        anItem('acme', 'home', 'newest-inactive', { status: 'inactive', metadata: { publish_time: Date.parse('2024-12-01T00:00:00Z') } }),
      ]);
      expect(idsOf(await repo().latest('acme', 'home', 10))).toEqual(['iso', 'created', 'old']);
      expect(idsOf(await repo().latest('acme', 'home', 1))).toEqual(['iso']);
    });

    it('hard-deletes items for good and counts only those that existed', async () => {
      await repo().upsertMany(['i1', 'i2', 'i3'].map((id) => anItem('acme', 'home', id, { metadata: { title: 'lamp' } })));
      expect(await repo().hardDelete('acme', 'home', ['i1', 'i2', 'ghost'])).toBe(2);
      expect(await repo().get('acme', 'home', 'i1')).toBeNull();
      expect(sortedIds((await repo().search('acme', 'home', 'lamp', page())).items)).toEqual(['i3']);
      expect(await repo().count('acme', 'home')).toBe(1);
      expect(await repo().hardDelete('acme', 'home', [])).toBe(0);
    });

    it('counts items per metadata value: scalars, array elements once per item, deleted items and other tenants left out', async () => {
      await repo().upsertMany([
        anItem('acme', 'home', 'i1', { metadata: { category: 'shoes', tags: ['sale', 'new', 'sale'], price: 10, author: 'ann', featured: true } }),
        anItem('acme', 'home', 'i2', { metadata: { category: 'shoes', tags: ['sale'], price: 25.5, author: 'bob' } }),
        anItem('acme', 'home', 'i3', { status: 'inactive', metadata: { category: 'hats', tags: [], price: 10 } }),
        anItem('acme', 'home', 'i4', { metadata: { category: 'hats', tags: ['new', 7, { odd: 1 }], price: '10', author: null } }),
        anItem('acme', 'home', 'i5', { metadata: { title: 'no fields', category: { nested: 'x' } } }),
        anItem('acme', 'home', 'gone', { status: 'deleted', metadata: { category: 'shoes', tags: ['sale'] } }),
        anItem('acme', 'news', 'n1', { metadata: { category: 'shoes' } }),
        anItem('globex', 'home', 'g1', { metadata: { category: 'shoes', tags: ['sale'] } }),
      ]);
      expect(await repo().metadataValueCounts('acme', 'home', 'category')).toEqual({
        items: 5,
        items_with_value: 4,
        values: [
          { value: 'hats', items: 2 },
          { value: 'shoes', items: 2 },
        ],
      });
      expect(await repo().metadataValueCounts('acme', 'home', 'tags')).toEqual({
        items: 5,
        items_with_value: 3,
        values: [
          { value: 'new', items: 2 },
          { value: 'sale', items: 2 },
          { value: 7, items: 1 },
        ],
      });
      // The number 10 and the string '10' are two values; numbers order by value.
      expect(await repo().metadataValueCounts('acme', 'home', 'price')).toEqual({
        items: 5,
        items_with_value: 4,
        values: [
          { value: 10, items: 2 },
          { value: 25.5, items: 1 },
          { value: '10', items: 1 },
        ],
      });
      // Price buckets of 10: [10, 20) holds 10 (two items), [20, 30) holds 25.5; strings are never bucketed.
      expect(await repo().metadataValueCounts('acme', 'home', 'price', { bucketWidth: 10 })).toEqual({
        items: 5,
        items_with_value: 4,
        values: [
          { value: 10, items: 2 },
          { value: 20, items: 1 },
          { value: '10', items: 1 },
        ],
      });
      await expectDomainError(() => repo().metadataValueCounts('acme', 'home', 'price', { bucketWidth: 0 }), 'VALIDATION_FAILED');
      expect(await repo().metadataValueCounts('acme', 'home', 'featured')).toEqual({ items: 5, items_with_value: 1, values: [{ value: true, items: 1 }] });
      expect(await repo().metadataValueCounts('acme', 'home', 'missing_field')).toEqual({ items: 5, items_with_value: 0, values: [] });
      expect(await repo().metadataValueCounts('globex', 'home', 'tags')).toEqual({ items: 1, items_with_value: 1, values: [{ value: 'sale', items: 1 }] });
      expect(await repo().metadataValueCounts('initech', 'home', 'tags')).toEqual({ items: 0, items_with_value: 0, values: [] });
      for (const bad of ['', 'a.b', '$where', "x') OR 1=1 --", 'tags[0]', 'a'.repeat(65)]) {
        await expectDomainError(() => repo().metadataValueCounts('acme', 'home', bad), 'VALIDATION_FAILED');
      }
    });
  });
}
