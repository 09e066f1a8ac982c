import { INGESTION_REPORT_RETENTION_MS, type IngestionReport } from '@lemo/domain';
import { dropAndClose, testOptions } from '../../testing/mongo-harness';
import { MongoStorage } from '../mongo-storage';
import type { MongoStorageOptions } from '../mongo-storage.options';

const report = (window_end: number, instance = 'host:1'): IngestionReport => ({
  tenant_id: 'acme',
  source: 'item-events',
  instance,
  window_start: window_end - 60_000,
  window_end,
  messages: 1,
  items: 1,
  dead_letters: 0,
  messages_per_second: 0.017,
  items_per_second: 0.017,
});

/** Expiry on the real server: a TTL index where the server has them (MongoDB), the adapter's own deletes where not (FerretDB v1). */
describe('MongoIngestionReports expiry (real server)', () => {
  let options: MongoStorageOptions;
  let storage: MongoStorage;

  beforeEach(async () => {
    options = testOptions();
    storage = await MongoStorage.open(options);
  });

  afterEach(async () => {
    await dropAndClose(storage);
  });

  const collection = () => storage.connection.db!.collection('ingestion_reports');

  it('removes reports once they expired: by the TTL index, or else by the next write', async () => {
    const expired = Date.now() - INGESTION_REPORT_RETENTION_MS - 60_000;
    await storage.ingestionReports.record(report(expired, 'old:1'));
    const stored = await collection().findOne({ instance: 'old:1' });
    expect(stored?._expires_at).toEqual(new Date(expired + INGESTION_REPORT_RETENTION_MS));
    const ttl = (await collection().indexes()).find((index) => index.name === 'ingestion_reports_ttl');
    if (ttl) {
      // MongoDB's TTL monitor deletes it (within a minute); reads leave it out meanwhile (the contract).
      expect(ttl).toEqual(expect.objectContaining({ key: { _expires_at: 1 }, expireAfterSeconds: 0 }));
      return;
    }
    // No TTL index on this server: a writer deletes expired reports (at most every 10 minutes per process; here another one).
    const writer = await MongoStorage.open(options);
    try {
      await writer.ingestionReports.record(report(Date.now()));
    } finally {
      await writer.close();
    }
    expect(await collection().countDocuments({ instance: 'old:1' })).toBe(0);
    expect(await collection().countDocuments({})).toBe(1);
  });
});
