import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteOutbox, type OutboxRecord } from './sqlite-outbox';

const record = (n: number, value = `{"n":${n}}`): OutboxRecord => ({ topic: 't', key: `k${n}`, value, headers: '{}', acceptedAt: 1000 + n });

describe('SqliteOutbox', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kafka-outbox-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('hands rows back in acceptance order and deletes only what was acknowledged', async () => {
    const outbox = SqliteOutbox.open(':memory:');
    await outbox.append([record(1), record(2)]);
    await outbox.append([record(3)]);
    expect(outbox.depth).toBe(3);
    const batch = outbox.peek(2, 1_000_000);
    expect(batch.map((r) => r.key)).toEqual(['k1', 'k2']);
    expect(batch[0]).toMatchObject({ topic: 't', value: '{"n":1}', headers: '{}', acceptedAt: 1001 });
    outbox.removeThrough(batch[1].id);
    expect(outbox.depth).toBe(1);
    expect(outbox.peek(10, 1_000_000).map((r) => r.key)).toEqual(['k3']);
    outbox.close();
  });

  it('commits the appends of one event-loop turn together, each resolving once written', async () => {
    const outbox = SqliteOutbox.open(':memory:');
    await Promise.all(Array.from({ length: 50 }, (_, i) => outbox.append([record(i)])));
    expect(outbox.depth).toBe(50);
    expect(outbox.peek(100, 1_000_000).map((r) => r.key)).toEqual(Array.from({ length: 50 }, (_, i) => `k${i}`));
    outbox.close();
  });

  it('bounds a batch by bytes, but always returns at least one row', async () => {
    const outbox = SqliteOutbox.open(':memory:');
    const big = `"${'x'.repeat(600)}"`;
    await outbox.append([record(1, big), record(2, big), record(3, big)]);
    expect(outbox.peek(10, 1300).map((r) => r.key)).toEqual(['k1', 'k2']);
    expect(outbox.peek(10, 10).map((r) => r.key)).toEqual(['k1']);
    outbox.close();
  });

  it('keeps accepted rows across a restart and reports the age of the oldest', async () => {
    const first = SqliteOutbox.open(dir);
    await first.append([{ ...record(1), acceptedAt: Date.now() - 5000 }, record(2)]);
    first.close();
    const second = SqliteOutbox.open(dir);
    expect(second.depth).toBe(2);
    expect(second.oldestAgeMs()).toBeGreaterThanOrEqual(5000);
    second.removeThrough(second.peek(10, 1_000_000)[1].id);
    expect(second.oldestAgeMs()).toBe(0);
    second.close();
  });

  it('writes appends still queued when it closes', async () => {
    const outbox = SqliteOutbox.open(dir);
    const appended = outbox.append([record(1)]);
    outbox.close();
    await appended;
    const reopened = SqliteOutbox.open(dir);
    expect(reopened.depth).toBe(1);
    reopened.close();
  });

  it('belongs to one owner: a second open of the same file fails while the first is open', () => {
    const owner = SqliteOutbox.open(dir);
    expect(() => SqliteOutbox.open(dir)).toThrow(expect.objectContaining({ code: 'UNAVAILABLE', message: expect.stringMatching(/in use by another process/) }));
    owner.close();
    SqliteOutbox.open(dir).close();
  });
});
