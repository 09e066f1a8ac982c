import { DomainError } from '@lemo/domain';
import type { AppLogger } from '@lemo/platform-observability';
import { ServingUpdates, type ServingWrite } from './serving-updates';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as AppLogger;

/** A store that can be taken down; records the writes it applied, in order. */
function flakyStore() {
  const applied: string[] = [];
  const store = { down: false, applied };
  const write = (name: string): ServingWrite => ({
    what: name,
    run: async () => {
      if (store.down) throw new DomainError('UNAVAILABLE', 'store unreachable');
      applied.push(name);
    },
  });
  return { store, write };
}

describe('ServingUpdates', () => {
  let updates: ServingUpdates;
  beforeEach(() => {
    jest.useFakeTimers();
    updates = new ServingUpdates(silent);
  });
  afterEach(() => {
    updates.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('applies writes before resolving while the store answers', async () => {
    const { store, write } = flakyStore();
    await updates.apply([write('a'), write('b')]);
    expect(store.applied).toEqual(['a', 'b']);
    expect(updates.backlog).toBe(0);
  });

  it('holds writes back during an outage without failing the caller, then applies them in order once the store answers', async () => {
    const { store, write } = flakyStore();
    store.down = true;
    await expect(updates.apply([write('a'), write('b')])).resolves.toBeUndefined();
    // Later writes queue behind the held ones (one user's updates keep their order) and do not wait.
    await expect(updates.apply([write('c')])).resolves.toBeUndefined();
    expect(updates.backlog).toBe(3);
    await jest.advanceTimersByTimeAsync(3_000);
    expect(store.applied).toEqual([]);

    store.down = false;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(store.applied).toEqual(['a', 'b', 'c']);
    expect(updates.backlog).toBe(0);
    // Back to applying at once.
    await updates.apply([write('d')]);
    expect(store.applied).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reports a failure that is not an outage, and still applies the other writes', async () => {
    const { store, write } = flakyStore();
    const bug: ServingWrite = { what: 'bug', run: () => Promise.reject(new Error('wrong type')) };
    await expect(updates.apply([write('a'), bug, write('b')])).rejects.toThrow('wrong type');
    expect(store.applied).toEqual(['a', 'b']);
    expect(updates.backlog).toBe(0);
  });

  it('lets concurrent callers share one run, each resolving after its own writes', async () => {
    const { store, write } = flakyStore();
    await Promise.all([updates.apply([write('a')]), updates.apply([write('b')]), updates.apply([write('c')])]);
    expect(store.applied.sort()).toEqual(['a', 'b', 'c']);
  });
});
