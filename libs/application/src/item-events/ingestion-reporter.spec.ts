import { DomainError, IngestionReports, checkIngestionReport, type IngestionReport, type IngestionReportQuery } from '@lemo/domain';
import type { AppLogger } from '@lemo/platform-observability';
import { IngestionReporter } from './ingestion-reporter';

/** Records what it is given, or fails while `failure` is set (as an unreachable store would). */
class RecordingReports extends IngestionReports {
  readonly recorded: IngestionReport[] = [];
  failure: DomainError | null = null;

  async record(report: IngestionReport): Promise<void> {
    if (this.failure) throw this.failure;
    this.recorded.push(checkIngestionReport(report));
  }

  recent(_tenantId: string, _query: IngestionReportQuery): Promise<IngestionReport[]> {
    throw new Error('the reporter never reads reports');
  }
}

const silentLogger = () => ({ warn: jest.fn(), error: jest.fn() }) as unknown as AppLogger & { warn: jest.Mock; error: jest.Mock };

describe('IngestionReporter', () => {
  let clock: number;
  let store: RecordingReports;
  let logger: ReturnType<typeof silentLogger>;
  let reporter: IngestionReporter;

  beforeEach(() => {
    clock = 1_000_000;
    store = new RecordingReports();
    logger = silentLogger();
    reporter = new IngestionReporter(store, 'item-events', 'host:42', logger, () => clock);
  });

  it('writes one report per tenant with activity, with its counts and rates over the window', async () => {
    reporter.add('acme', { messages: 1, items: 4 });
    reporter.add('acme', { messages: 2, items: 6, dead_letters: 1 });
    reporter.add('globex', { failed_batches: 1 });
    clock += 2000;
    await reporter.flush();
    expect(store.recorded.sort((a, b) => a.tenant_id.localeCompare(b.tenant_id))).toEqual([
      {
        tenant_id: 'acme',
        source: 'item-events',
        instance: 'host:42',
        window_start: 1_000_000,
        window_end: 1_002_000,
        messages: 3,
        items: 10,
        dead_letters: 1,
        failed_batches: 0,
        messages_per_second: 1.5,
        items_per_second: 5,
      },
      expect.objectContaining({ tenant_id: 'globex', messages: 0, failed_batches: 1, messages_per_second: 0 }),
    ]);
  });

  it('starts the next window where the last one ended, and writes nothing for a quiet window', async () => {
    reporter.add('acme', { messages: 1 });
    clock += 1000;
    await reporter.flush();
    clock += 1000;
    await reporter.flush();
    expect(store.recorded).toHaveLength(1);
    reporter.add('acme', { messages: 3 });
    clock += 3000;
    await reporter.flush();
    expect(store.recorded.map((r) => [r.window_start, r.window_end, r.messages, r.messages_per_second])).toEqual([
      [1_000_000, 1_001_000, 1, 1],
      [1_002_000, 1_005_000, 3, 1],
    ]);
  });

  it('keeps the counts of a failed write for the next report, which covers both windows', async () => {
    reporter.add('acme', { messages: 4, items: 4 });
    clock += 1000;
    store.failure = new DomainError('UNAVAILABLE', 'document store unreachable');
    await expect(reporter.flush()).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    store.failure = null;
    reporter.add('acme', { messages: 2, items: 1 });
    clock += 1000;
    await reporter.flush();
    expect(store.recorded).toEqual([
      expect.objectContaining({ window_start: 1_000_000, window_end: 1_002_000, messages: 6, items: 5, messages_per_second: 3, items_per_second: 2.5 }),
    ]);
  });

  it('drops a report the store refuses as malformed instead of retrying it forever', async () => {
    reporter.add('Bad Tenant', { messages: 1 });
    clock += 1000;
    await reporter.flush();
    expect(logger.error).toHaveBeenCalledTimes(1);
    clock += 1000;
    await reporter.flush();
    expect(store.recorded).toEqual([]);
    expect(logger.error).toHaveBeenCalledTimes(1);
  });

  it('writes what was counted since the last report when stopped', async () => {
    reporter.start(60_000);
    reporter.add('acme', { messages: 5 });
    clock += 500;
    await reporter.flush();
    reporter.add('acme', { messages: 1 });
    clock += 500;
    await reporter.stop();
    expect(store.recorded.map((r) => [r.window_start, r.window_end, r.messages])).toEqual([
      [1_000_000, 1_000_500, 5],
      [1_000_500, 1_001_000, 1],
    ]);
  });

  it('runs one flush at a time: a flush asked for during a slow write waits for it', async () => {
    let inFlight = 0;
    let most = 0;
    const record = store.record.bind(store);
    jest.spyOn(store, 'record').mockImplementation(async (report) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight--;
      return record(report);
    });
    reporter.add('acme', { messages: 1 });
    const first = reporter.flush();
    await new Promise((resolve) => setImmediate(resolve));
    reporter.add('acme', { messages: 2 });
    clock += 1000;
    await Promise.all([first, reporter.flush()]);
    expect(most).toBe(1);
    // Even a window shorter than a millisecond ends after it starts, and the next one starts there: distinct keys.
    expect(store.recorded.map((r) => [r.window_start, r.window_end, r.messages])).toEqual([
      [1_000_000, 1_000_001, 1],
      [1_000_001, 1_001_000, 2],
    ]);
  });
});
