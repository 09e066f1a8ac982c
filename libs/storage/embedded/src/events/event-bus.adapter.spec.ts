import { Logger } from '@nestjs/common';
import type { BusMessage } from '@lemo/domain';
import { eventually, sleep } from '@lemo/domain/testing';
import { openInMemory, openOnDisk, temporaryDataDir } from '../../testing/embedded-harness';

beforeAll(() => Logger.overrideLogger(false));

const messages = (topic: string, values: number[]) => values.map((n) => ({ topic, key: 'k', value: n }));
const collect = () => {
  const values: number[] = [];
  return { values, handler: async (batch: BusMessage[]) => void values.push(...batch.map((m) => m.value as number)) };
};

describe('EmbeddedEventBus', () => {
  const data = temporaryDataDir();
  afterAll(() => data.remove());

  it('delivers on publish, without waiting for the fallback poll', async () => {
    const storage = openInMemory({ eventBus: { pollIntervalMs: 60_000 } });
    const { values, handler } = collect();
    await storage.eventBus.subscribe(/^t$/, 'g', handler);
    const publishedAt = Date.now();
    await storage.eventBus.publish(messages('t', [1]));
    // Far below the 60 s poll: delivery was pushed, not polled (generous for a loaded CI machine).
    await eventually(() => expect(values).toEqual([1]), 10_000);
    expect(Date.now() - publishedAt).toBeLessThan(10_000);
    await storage.close();
  });

  it('resumes each group from its committed offset after a restart', async () => {
    const before = openOnDisk(data.dir);
    const first = collect();
    await before.eventBus.subscribe(/^orders$/, 'g', first.handler);
    await before.eventBus.publish(messages('orders', [1, 2, 3]));
    await eventually(() => expect(first.values).toEqual([1, 2, 3]));
    await before.eventBus.subscribe(/^orders$/, 'failing', async () => {
      throw new Error('always down');
    });
    await before.close();

    const after = openOnDisk(data.dir);
    await after.eventBus.publish(messages('orders', [4]));
    const resumed = collect();
    const retried = collect();
    await after.eventBus.subscribe(/^orders$/, 'g', resumed.handler);
    await after.eventBus.subscribe(/^orders$/, 'failing', retried.handler);
    await eventually(() => expect(resumed.values).toEqual([4]));
    await eventually(() => expect(retried.values).toEqual([1, 2, 3, 4]));
    await after.close();
  });

  it('keeps offsets increasing after retention emptied a topic', async () => {
    const storage = openInMemory({ eventBus: { retentionMs: -1, pollIntervalMs: 20, retryDelayMs: 20, batchSize: 100 } });
    const { values, handler } = collect();
    await storage.eventBus.subscribe(/^t$/, 'g', handler);
    await storage.eventBus.publish(messages('t', [1, 2]));
    await eventually(() => expect(values).toEqual([1, 2]));
    await eventually(() => expect(storage.db.statement('SELECT COUNT(*) AS n FROM bus_messages').get()).toEqual({ n: 0 }));
    await storage.eventBus.publish(messages('t', [3]));
    await eventually(() => expect(values).toEqual([1, 2, 3]));
    await storage.close();
  });

  it('shares a topic between subscriptions of one group: each message is handled once', async () => {
    const storage = openInMemory();
    const a = collect();
    const b = collect();
    await storage.eventBus.subscribe(/^t$/, 'g', a.handler);
    await storage.eventBus.subscribe(/^t$/, 'g', b.handler);
    for (let i = 0; i < 10; i++) await storage.eventBus.publish(messages('t', [i * 2, i * 2 + 1]));
    await eventually(() => expect(a.values.length + b.values.length).toBe(20));
    await sleep(200);
    expect([...a.values, ...b.values].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    await storage.close();
  });

  it('matches with a global RegExp on every test (no lastIndex carried over)', async () => {
    const storage = openInMemory();
    const { values, handler } = collect();
    await storage.eventBus.subscribe(/^t-/g, 'g', handler);
    await storage.eventBus.publish([...messages('t-a', [1]), ...messages('t-b', [2]), ...messages('t-c', [3])]);
    await eventually(() => expect([...values].sort()).toEqual([1, 2, 3]));
    await storage.close();
  });

  it("reports each group's lag per topic: what is not yet handled while the handler is held, 0 once caught up", async () => {
    const storage = openInMemory({ eventBus: { batchSize: 2 } });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const handled: number[] = [];
    await storage.eventBus.subscribe(/^t$/, 'slow', async (batch) => {
      await held;
      handled.push(...batch.map((m) => m.value as number));
    });
    const lagOf = (group: string) => storage.eventBus.consumerLag().filter((sample) => sample.group === group);
    await storage.eventBus.publish(messages('t', [1, 2, 3, 4, 5]));
    // The first batch of two is in the handler; nothing is committed, so all five are behind.
    await eventually(() => expect(lagOf('slow')).toEqual([{ group: 'slow', topic: 't', partition: 0, lag: 5 }]));
    release();
    await eventually(() => expect(handled).toEqual([1, 2, 3, 4, 5]));
    await eventually(() => expect(lagOf('slow')).toEqual([{ group: 'slow', topic: 't', partition: 0, lag: 0 }]));

    // A group that closes its last subscription is no longer reported.
    const other = await storage.eventBus.subscribe(/^t$/, 'other', async () => undefined);
    await eventually(() => expect(lagOf('other')).toEqual([{ group: 'other', topic: 't', partition: 0, lag: 0 }]));
    await other.close();
    expect(lagOf('other')).toEqual([]);
    expect(lagOf('slow')).toHaveLength(1);
    await storage.close();
  });

  it('refuses to publish or subscribe once closed', async () => {
    const storage = openInMemory();
    await storage.eventBus.close();
    await expect(storage.eventBus.publish(messages('t', [1]))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(storage.eventBus.subscribe(/t/, 'g', async () => undefined)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await storage.close();
  });
});
