import { RowBatcher } from './row-batcher';

/** A store whose writes finish when the test says so; records what each write got. */
function controlledStore() {
  const writes: number[][] = [];
  const finish: Array<(error?: Error) => void> = [];
  const write = (rows: number[]) =>
    new Promise<void>((resolve, reject) => {
      writes.push(rows);
      finish.push((error) => (error ? reject(error) : resolve()));
    });
  return { writes, finish, write };
}

/** Lets resolved promises run their continuations. */
const settle = () => new Promise<void>((resolve) => jest.requireActual<typeof import('node:timers')>('node:timers').setImmediate(resolve));

describe('RowBatcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes at maxRows at once, gathering concurrent adds, and resolves each add only after its write succeeded', async () => {
    const store = controlledStore();
    const batcher = new RowBatcher(store.write, { maxRows: 5, maxWaitMs: 60_000 });
    let firstDone = false;
    const first = batcher.add([1, 2]).then(() => (firstDone = true));
    const second = batcher.add([3, 4, 5]);
    await settle();
    expect(store.writes).toEqual([[1, 2, 3, 4, 5]]);
    expect(firstDone).toBe(false);
    store.finish[0]();
    await Promise.all([first, second]);
    expect(firstDone).toBe(true);
  });

  it('writes a smaller batch once its first row waited maxWaitMs, not before', async () => {
    const store = controlledStore();
    const batcher = new RowBatcher(store.write, { maxRows: 1000, maxWaitMs: 5000 });
    const added = batcher.add([1]);
    jest.advanceTimersByTime(4000);
    void batcher.add([2]);
    jest.advanceTimersByTime(999);
    await settle();
    expect(store.writes).toEqual([]);
    expect(batcher.pendingRows).toBe(2);
    jest.advanceTimersByTime(1);
    await settle();
    expect(store.writes).toEqual([[1, 2]]);
    store.finish[0]();
    await added;
  });

  it('rejects every add of a failed write with its error (the bus then redelivers those batches)', async () => {
    const store = controlledStore();
    const batcher = new RowBatcher(store.write, { maxRows: 2, maxWaitMs: 60_000 });
    const a = batcher.add([1]);
    const b = batcher.add([2]);
    await settle();
    store.finish[0](new Error('ClickHouse down'));
    await expect(a).rejects.toThrow('ClickHouse down');
    await expect(b).rejects.toThrow('ClickHouse down');
    // The next batch is a new write.
    const c = batcher.add([3, 4]);
    await settle();
    expect(store.writes).toEqual([[1, 2], [3, 4]]);
    store.finish[1]();
    await c;
  });

  it('runs one write at a time: rows arriving meanwhile wait for the write in flight, then form the next batch', async () => {
    const store = controlledStore();
    const batcher = new RowBatcher(store.write, { maxRows: 2, maxWaitMs: 60_000 });
    void batcher.add([1, 2]);
    await settle();
    const later = batcher.add([3, 4]);
    await settle();
    expect(store.writes).toEqual([[1, 2]]);
    store.finish[0]();
    await settle();
    expect(store.writes).toEqual([[1, 2], [3, 4]]);
    store.finish[1]();
    await later;
  });

  it('drain writes what it holds at once and every later add too, until hold', async () => {
    const store = controlledStore();
    const batcher = new RowBatcher(store.write, { maxRows: 1000, maxWaitMs: 60_000 });
    void batcher.add([1]);
    const drained = batcher.drain();
    await settle();
    expect(store.writes).toEqual([[1]]);
    store.finish[0]();
    await drained;
    void batcher.add([2]);
    await settle();
    expect(store.writes).toEqual([[1], [2]]);
    store.finish[1]();
    batcher.hold();
    void batcher.add([3]);
    await settle();
    expect(store.writes).toHaveLength(2);
    expect(batcher.pendingRows).toBe(1);
  });

  it('an empty add resolves at once and writes nothing', async () => {
    const store = controlledStore();
    const batcher = new RowBatcher(store.write, { maxRows: 1, maxWaitMs: 10 });
    await batcher.add([]);
    jest.advanceTimersByTime(100);
    expect(store.writes).toEqual([]);
  });
});
