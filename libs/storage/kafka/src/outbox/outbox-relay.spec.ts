import { Logger } from '@nestjs/common';
import { eventually } from '@lemo/domain/testing';
import { OutboxRelay } from './outbox-relay';
import { SqliteOutbox, type StoredRecord } from './sqlite-outbox';

beforeAll(() => Logger.overrideLogger(false));

const options = { batchMaxMessages: 3, batchMaxBytes: 1_000_000, retryInitialMs: 10, retryMaxMs: 40 };
const append = (outbox: SqliteOutbox, from: number, count: number) =>
  outbox.append(Array.from({ length: count }, (_, i) => ({ topic: 't', key: 'k', value: String(from + i), headers: '{}', acceptedAt: Date.now() })));
const values = (records: readonly StoredRecord[]) => records.map((r) => Number(r.value));

describe('OutboxRelay', () => {
  let outbox: SqliteOutbox;
  beforeEach(() => {
    outbox = SqliteOutbox.open(':memory:');
  });
  afterEach(() => outbox.close());

  it('sends in acceptance order, in bounded batches, deleting each batch once acknowledged', async () => {
    const sent: number[][] = [];
    const relay = new OutboxRelay(outbox, async (records) => void sent.push(values(records)), options);
    await append(outbox, 0, 7);
    relay.start();
    await expect(relay.drained(5000)).resolves.toBe(true);
    expect(sent).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    await append(outbox, 7, 1);
    relay.wake();
    await eventually(() => expect(sent.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]));
    expect(outbox.depth).toBe(0);
    await relay.stop(1000);
  });

  it('retries the same batch with backoff while sending fails, keeping every row until it succeeds', async () => {
    const attempts: number[][] = [];
    let down = true;
    const relay = new OutboxRelay(
      outbox,
      async (records) => {
        attempts.push(values(records));
        if (down) throw new Error('broker unreachable');
      },
      options,
    );
    await append(outbox, 0, 2);
    relay.start();
    await eventually(() => expect(attempts.length).toBeGreaterThanOrEqual(3));
    expect(outbox.depth).toBe(2);
    expect(relay.status).toEqual({ failures: expect.any(Number), lastError: 'broker unreachable' });
    down = false;
    await expect(relay.drained(5000)).resolves.toBe(true);
    expect(new Set(attempts.map((a) => a.join()))).toEqual(new Set(['0,1']));
    expect(relay.status).toEqual({ failures: 0 });
    await relay.stop(1000);
  });

  it('reports false when the outbox does not drain in time, and stops without waiting for a hung send', async () => {
    const relay = new OutboxRelay(outbox, () => new Promise<void>(() => undefined), options);
    await append(outbox, 0, 1);
    relay.start();
    await expect(relay.drained(50)).resolves.toBe(false);
    const stopping = Date.now();
    await relay.stop(100);
    // The send hangs forever: stop returned on its own timeout, not the send's (generous for a loaded CI machine).
    expect(Date.now() - stopping).toBeLessThan(5000);
    expect(outbox.depth).toBe(1);
  });
});
