import { aTenant, anEvent, anItem, FIXTURE_EPOCH } from '@lemo/domain/testing';
import { openOnDisk, temporaryDataDir } from '../testing/embedded-harness';

describe('EmbeddedStorage on disk', () => {
  const data = temporaryDataDir();
  afterAll(() => data.remove());

  it('keeps documents, events and features across a restart', async () => {
    const before = openOnDisk(data.dir);
    await before.tenants.create(aTenant('acme'));
    await before.items.upsertMany([anItem('acme', 'home', 'i1', { metadata: { title: 'Blue kettle' } })]);
    await before.events.append([anEvent('acme', { event_id: 'e1' })]);
    await before.features.addHotScores([{ tenantId: 'acme', scenarioId: 'home', itemId: 'i1', weight: 2, at: FIXTURE_EPOCH }], 24);
    await before.features.pushRecent('acme', 'u1', [{ item_id: 'i1', scenario_id: 'home', action_type: 'click', timestamp: FIXTURE_EPOCH }], 10);
    await before.close();

    const after = openOnDisk(data.dir);
    expect(await after.tenants.get('acme')).toEqual(aTenant('acme'));
    expect((await after.items.search('acme', 'home', 'KETTLE', { page: 1, pageSize: 10 })).total).toBe(1);
    expect((await after.events.append([anEvent('acme', { event_id: 'e1' })])).duplicates).toEqual(['e1']);
    expect(await after.features.topHot('acme', 'home', 10, FIXTURE_EPOCH)).toEqual([{ item_id: 'i1', score: 2 }]);
    expect(await after.features.recent('acme', 'u1', 10)).toHaveLength(1);
    await after.close();
  });

  it('can be closed more than once', async () => {
    const storage = openOnDisk(data.dir);
    await Promise.all([storage.close(), storage.close()]);
    await storage.close();
    expect(storage.db.isOpen).toBe(false);
  });
});
