import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ItemsUseCase, ScenariosUseCase, TenantAdminUseCase } from '@lemo/application';
import {
  DomainError,
  EventBus,
  IngestionReports,
  ItemRepository,
  createScenarioSchema,
  createTenantSchema,
  topicFor,
  type IngestionReport,
} from '@lemo/domain';
import { EmbeddedStorage } from '@lemo/storage-embedded';
import { createTestApp, eventually, type TestApp } from '@lemo/testing';
import { ConsumerModule } from './index';

jest.setTimeout(60_000);

async function tenantWithShop(t: TestApp, tenantId: string): Promise<void> {
  await t.app.get(TenantAdminUseCase).createTenant(createTenantSchema.parse({ tenant_id: tenantId, name: tenantId }));
  await t.app.get(ScenariosUseCase).create(tenantId, createScenarioSchema.parse({ scenario_id: 'shop', name: 'Shop', scenario_type: 'ecommerce' }));
}

const publish = (t: TestApp, tenantId: string, values: unknown[]) =>
  t.app.get(EventBus).publish(values.map((value, i) => ({ topic: topicFor(t.config.topics.items, tenantId), key: `k${i}`, value, headers: {} })));

/** A tenant's counts summed over its reports (a run may span several windows). */
function totals(reports: IngestionReport[]) {
  const sum = (pick: (r: IngestionReport) => number) => reports.reduce((total, r) => total + pick(r), 0);
  return {
    messages: sum((r) => r.messages),
    items: sum((r) => r.items),
    dead_letters: sum((r) => r.dead_letters),
    failed_batches: sum((r) => r.failed_batches ?? 0),
  };
}

/**
 * The consumer's ingestion reports on the embedded profile: what it applied,
 * per tenant, lands in the document store every ITEM_EVENTS_REPORT_INTERVAL_MS
 * (1 s here), counted once even when a batch is delivered again, and once
 * more when the process stops.
 */
describe('consumer: ingestion reports (embedded)', () => {
  let t: TestApp;
  let reports: IngestionReports;
  const recent = (tenantId: string) => reports.recent(tenantId, { source: 'item-events', limit: 100 });

  beforeAll(async () => {
    t = await createTestApp({ modules: [ConsumerModule], env: { ITEM_EVENTS_REPORT_INTERVAL_MS: '1000' } });
    reports = t.app.get(IngestionReports);
  });

  afterAll(async () => {
    await t?.close();
  });

  it("reports each tenant's messages, written items and dead letters, and nothing for a tenant without item events", async () => {
    await tenantWithShop(t, 'acme');
    await tenantWithShop(t, 'globex');
    await tenantWithShop(t, 'initech');
    await publish(t, 'acme', [
      { operation: 'create', scenario_id: 'shop', items: [{ item_id: 'a' }, { item_id: 'b' }, { item_id: 'c' }] },
      { operation: 'update', scenario_id: 'shop', item: { item_id: 'a', metadata: { price: 3 } } },
      { operation: 'delete', scenario_id: 'shop', item_id: 'b' },
      'not json {',
      { operation: 'create', scenario_id: 'shop', items: [{ item_id: 'd' }, { item_id: 'bad id!' }] },
    ]);
    await publish(t, 'globex', [{ operation: 'create', scenario_id: 'shop', items: [{ item_id: 'g1' }, { item_id: 'g2' }] }]);

    await eventually(async () => totals(await recent('acme')).messages === 5 && totals(await recent('globex')).messages === 1);
    const acme = await recent('acme');
    // 3 created + 1 merged + 1 soft-deleted + 1 of the partly refused batch; the bad JSON and the bad item dead-lettered.
    expect(totals(acme)).toEqual({ messages: 5, items: 6, dead_letters: 2, failed_batches: 0 });
    expect(totals(await recent('globex'))).toEqual({ messages: 1, items: 2, dead_letters: 0, failed_batches: 0 });
    for (const report of acme) {
      expect(report).toEqual(
        expect.objectContaining({ tenant_id: 'acme', source: 'item-events', instance: expect.stringMatching(new RegExp(`:${process.pid}$`)) }),
      );
      expect(report.window_end).toBeGreaterThan(report.window_start);
      const seconds = (report.window_end - report.window_start) / 1000;
      expect(report.messages_per_second).toBeCloseTo(report.messages / seconds, 2);
      expect(report.items_per_second).toBeCloseTo(report.items / seconds, 2);
    }
    // The tenant without item events has no report, and nobody reads another tenant's.
    expect(await recent('initech')).toEqual([]);
    expect((await recent('globex')).every((r) => r.tenant_id === 'globex')).toBe(true);
  });

  it('counts a batch delivered again after a failed write once, and the failed deliveries as failed_batches', async () => {
    await tenantWithShop(t, 'umbrella');
    const repository = t.app.get(ItemRepository);
    const upsertMany = repository.upsertMany.bind(repository);
    let failures = 0;
    const spy = jest.spyOn(repository, 'upsertMany').mockImplementation(async (written) => {
      if (written.some((item) => item.tenant_id === 'umbrella') && failures < 2) {
        failures++;
        throw new DomainError('UNAVAILABLE', 'document store unreachable');
      }
      return upsertMany(written);
    });
    try {
      await publish(t, 'umbrella', [
        { operation: 'create', scenario_id: 'shop', items: [{ item_id: 'u1' }, { item_id: 'u2' }] },
        { operation: 'create', scenario_id: 'shop', items: [{ item_id: 'u3' }] },
      ]);
      await eventually(async () => totals(await recent('umbrella')).messages >= 2);
    } finally {
      spy.mockRestore();
    }
    expect(failures).toBe(2);
    expect(totals(await recent('umbrella'))).toEqual({ messages: 2, items: 3, dead_letters: 0, failed_batches: 2 });
  });
});

describe('consumer: ingestion report on shutdown (embedded, on disk)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lemo-consumer-reports-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes the counts of the unfinished window when the process stops', async () => {
    // The default interval (60 s): only the shutdown can write this report within the test.
    const t = await createTestApp({ modules: [ConsumerModule], env: { DATA_DIR: dataDir } });
    const vectorDimension = t.config.vectorDimension;
    try {
      await tenantWithShop(t, 'acme');
      await publish(t, 'acme', [{ operation: 'create', scenario_id: 'shop', items: [{ item_id: 'x1' }, { item_id: 'x2' }] }]);
      const items = t.app.get(ItemsUseCase);
      await eventually(async () => (await items.get('acme', 'shop', 'x2').catch(() => null)) !== null);
      expect(await t.app.get(IngestionReports).recent('acme', { limit: 10 })).toEqual([]);
    } finally {
      await t.close();
    }

    const storage = EmbeddedStorage.open({ dataDir, vectorDimension });
    try {
      const written = await storage.ingestionReports.recent('acme', { limit: 10 });
      expect(written.map((r) => [r.tenant_id, r.messages, r.items, r.dead_letters])).toEqual([['acme', 1, 2, 0]]);
    } finally {
      await storage.close();
    }
  });
});
