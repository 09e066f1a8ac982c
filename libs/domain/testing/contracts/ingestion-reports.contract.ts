import { INGESTION_REPORT_RETENTION_MS, MAX_INGESTION_REPORTS, type IngestionReport, type IngestionReports, type IngestionSource } from '../../src/index';
import { expectDomainError } from '../assertions';
import { useHarness, type HarnessFactory } from '../harness';

const MINUTE = 60_000;

export function ingestionReportsContract(name: string, create: HarnessFactory<IngestionReports>): void {
  describe(`IngestionReports contract (${name})`, () => {
    const reports = useHarness(create);
    // Real time: reports expire by their window's end, so the windows must be recent.
    const base = Math.floor(Date.now() / MINUTE) * MINUTE - 60 * MINUTE;
    const report = (overrides: Partial<IngestionReport> & { minute?: number } = {}): IngestionReport => {
      const { minute = 0, ...fields } = overrides;
      const window_start = base + minute * MINUTE;
      return {
        tenant_id: 'acme',
        source: 'item-events',
        instance: 'host-a:101',
        window_start,
        window_end: window_start + MINUTE,
        messages: 120,
        items: 300,
        dead_letters: 2,
        failed_batches: 1,
        messages_per_second: 2,
        items_per_second: 5,
        ...fields,
      };
    };
    const windows = (list: IngestionReport[]) => list.map((r) => [r.window_end, r.instance]);

    it('reads back exactly what was recorded (failed_batches optional)', async () => {
      const full = report();
      const { failed_batches: _omitted, ...withoutFailures } = report({
        minute: 1,
        messages: 7,
        items: 0,
        dead_letters: 7,
        messages_per_second: 0.1166,
        items_per_second: 0,
      });
      await reports().record(full);
      await reports().record(withoutFailures);
      expect(await reports().recent('acme', { limit: 10 })).toEqual([withoutFailures, full]);
    });

    it('returns the newest windows first, several instances of one window by instance, and at most `limit`', async () => {
      for (const minute of [3, 0, 5, 1]) await reports().record(report({ minute }));
      await reports().record(report({ minute: 5, instance: 'host-b:7' }));
      await reports().record(report({ minute: 5, instance: 'host-a:100' }));
      const all = await reports().recent('acme', { limit: 10 });
      expect(windows(all)).toEqual([
        [base + 6 * MINUTE, 'host-a:100'],
        [base + 6 * MINUTE, 'host-a:101'],
        [base + 6 * MINUTE, 'host-b:7'],
        [base + 4 * MINUTE, 'host-a:101'],
        [base + 2 * MINUTE, 'host-a:101'],
        [base + 1 * MINUTE, 'host-a:101'],
      ]);
      expect(windows(await reports().recent('acme', { limit: 2 }))).toEqual(windows(all.slice(0, 2)));
      expect(await reports().recent('acme', { limit: 1 })).toEqual([all[0]]);
    });

    it('replaces a report recorded again for the same tenant, source, instance and window (a retried write)', async () => {
      await reports().record(report({ messages: 10 }));
      await reports().record(report({ messages: 12, messages_per_second: 0.2 }));
      expect(await reports().recent('acme', { limit: 10 })).toEqual([report({ messages: 12, messages_per_second: 0.2 })]);
    });

    it('keeps tenants apart: a tenant reads only its own reports', async () => {
      await reports().record(report({ tenant_id: 'acme', messages: 1 }));
      await reports().record(report({ tenant_id: 'globex', messages: 2 }));
      await reports().record(report({ tenant_id: 'globex', minute: 1, messages: 3 }));
      expect((await reports().recent('acme', { limit: 10 })).map((r) => [r.tenant_id, r.messages])).toEqual([['acme', 1]]);
      expect((await reports().recent('globex', { limit: 10 })).map((r) => [r.tenant_id, r.messages])).toEqual([
        ['globex', 3],
        ['globex', 2],
      ]);
      expect(await reports().recent('initech', { limit: 10 })).toEqual([]);
    });

    it('filters by source', async () => {
      await reports().record(report());
      expect(await reports().recent('acme', { source: 'item-events', limit: 10 })).toEqual([report()]);
      expect(await reports().recent('acme', { limit: 10 })).toEqual([report()]);
      await expectDomainError(() => reports().recent('acme', { source: 'clickstream' as IngestionSource, limit: 10 }), 'VALIDATION_FAILED');
    });

    it('leaves out reports whose window ended longer ago than the retention', async () => {
      const old = Date.now() - INGESTION_REPORT_RETENTION_MS - 10 * MINUTE;
      await reports().record(report({ window_start: old - MINUTE, window_end: old }));
      await reports().record(report());
      expect(await reports().recent('acme', { limit: 10 })).toEqual([report()]);
    });

    it.each<[string, Partial<IngestionReport>]>([
      ['tenant_id', { tenant_id: 'Not A Tenant' }],
      ['source', { source: 'clickstream' as IngestionSource }],
      ['instance', { instance: '' }],
      ['window_end', { window_end: base }],
      ['messages', { messages: -1 }],
      ['items', { items: 1.5 }],
      ['dead_letters', { dead_letters: Number.NaN }],
      ['failed_batches', { failed_batches: -2 }],
      ['messages_per_second', { messages_per_second: Number.POSITIVE_INFINITY }],
      ['items_per_second', { items_per_second: -0.5 }],
    ])('refuses a report with a bad %s (VALIDATION_FAILED naming it) and stores nothing', async (field, overrides) => {
      const error = await expectDomainError(() => reports().record(report(overrides)), 'VALIDATION_FAILED');
      expect(error.issues.map((issue) => issue.field)).toContain(field);
      expect(await reports().recent('acme', { limit: 10 })).toEqual([]);
    });

    it('refuses unknown fields, a bad limit and a bad tenant id', async () => {
      await expectDomainError(() => reports().record({ ...report(), extra: 1 } as IngestionReport), 'VALIDATION_FAILED');
      for (const limit of [0, -1, 2.5, MAX_INGESTION_REPORTS + 1]) {
        const error = await expectDomainError(() => reports().recent('acme', { limit }), 'VALIDATION_FAILED');
        expect(error.issues.map((issue) => issue.field)).toEqual(['limit']);
      }
      await expectDomainError(() => reports().recent('', { limit: 10 }), 'VALIDATION_FAILED');
    });
  });
}
