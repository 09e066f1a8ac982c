import { anEvent, eventually } from '@lemo/domain/testing';
import { dropAndClose, testOptions } from '../../testing/mongo-harness';
import { MongoStorage } from '../mongo-storage';

const SETTLE_MS = 1500;

describe('MongoEventStore.readAppended settle window (real server)', () => {
  let storage: MongoStorage;

  beforeEach(async () => {
    storage = await MongoStorage.open(testOptions({ appendedSettleMs: SETTLE_MS }));
  });

  afterEach(async () => {
    await dropAndClose(storage);
  });

  it('holds back events until their second has settled, then returns each exactly once', async () => {
    const read = (after?: string) => storage.events.readAppended('acme', 'home', { after, limit: 100 });
    await storage.events.append([anEvent('acme', { event_id: 'e1' })]);
    const early = await read();
    // Just appended: another process may still be inserting ids of this second, so none is handed out yet.
    expect(early.events).toEqual([]);

    const settled = await eventually(async () => {
      const page = await read(early.cursor);
      expect(page.events.map((e) => e.event_id)).toEqual(['e1']);
      return page;
    }, 4 * SETTLE_MS);
    // The caught-up cursor moved past e1's second: reading on repeats nothing, and a later event is not skipped.
    expect((await read(settled.cursor)).events).toEqual([]);
    await storage.events.append([anEvent('acme', { event_id: 'e2' })]);
    await eventually(async () => expect((await read(settled.cursor)).events.map((e) => e.event_id)).toEqual(['e2']), 4 * SETTLE_MS);
  });
});
