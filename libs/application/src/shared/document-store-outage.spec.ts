import { DomainError, type Item, type ItemRepository, type Scenario, type ScenarioRepository } from '@lemo/domain';
import { ScenarioLookup } from '../scenarios/scenario-lookup';
import { DocumentStoreOutage } from './document-store-outage';
import { LastKnownItems } from '../recommend/last-known-items';

// Serving through a document-store outage: the stale-if-error copies of item documents and scenario configs.

const unreachable = () => new DomainError('UNAVAILABLE', 'mongodb unavailable');
const item = (id: string, title = id) => ({ item_id: id, metadata: { title } }) as unknown as Item;

/** A store that can be taken down, serving what it holds. */
function store<T>(read: (ids: readonly string[]) => T) {
  const state = { down: false, calls: 0 };
  const call = async (ids: readonly string[]) => {
    state.calls += 1;
    if (state.down) throw unreachable();
    return read(ids);
  };
  return { state, call };
}

describe('LastKnownItems', () => {
  const catalogue = new Map([
    ['a', item('a')],
    ['b', item('b')],
  ]);
  const setup = () => {
    const { state, call } = store((ids) => ids.flatMap((id) => (catalogue.has(id) ? [catalogue.get(id) as Item] : [])));
    const outage = new DocumentStoreOutage();
    return { state, outage, items: new LastKnownItems({ getMany: (_t: string, _s: string, ids: readonly string[]) => call(ids) } as unknown as ItemRepository, outage) };
  };

  it('serves the last read copies while the store is unreachable, and does not wait on it again during the hold', async () => {
    const { state, outage, items } = setup();
    expect(await items.getMany('t', 's', ['a', 'b', 'gone'])).toEqual([item('a'), item('b')]);
    state.down = true;
    expect(await items.getMany('t', 's', ['b', 'c'])).toEqual([item('b')]);
    expect(outage.suspected).toBe(true);
    const calls = state.calls;
    expect(await items.getMany('t', 's', ['a'])).toEqual([item('a')]);
    expect(state.calls).toBe(calls);
    // Another tenant's or scenario's copy is never served.
    expect(await items.getMany('t2', 's', ['a'])).toEqual([]);
  });

  it('forgets an item the store no longer returns, and rethrows what is not an outage', async () => {
    const { state, items } = setup();
    await items.getMany('t', 's', ['a']);
    catalogue.delete('a');
    await items.getMany('t', 's', ['a']);
    state.down = true;
    expect(await items.getMany('t', 's', ['a'])).toEqual([]);
    catalogue.set('a', item('a'));

    const failing = new LastKnownItems({ getMany: () => Promise.reject(new DomainError('INTERNAL', 'bug')) } as unknown as ItemRepository, new DocumentStoreOutage());
    await expect(failing.getMany('t', 's', ['a'])).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});


describe('ScenarioLookup', () => {
  const scenario = { scenario_id: 's', config: {} } as unknown as Scenario;

  it('serves the last known config while the store is unreachable (stale-if-error), and fails without one', async () => {
    const { state, call } = store(() => scenario);
    const lookup = new ScenarioLookup({ get: () => call([]) } as unknown as ScenarioRepository, new DocumentStoreOutage());
    expect(await lookup.find('t', 's')).toBe(scenario);
    jest.useFakeTimers({ now: Date.now() + 10_000 });
    try {
      state.down = true;
      expect(await lookup.find('t', 's')).toBe(scenario);
      await expect(lookup.find('t', 'never-read')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      // Back: the copy is refreshed once the hold is over.
      state.down = false;
      jest.setSystemTime(Date.now() + 20_000);
      const calls = state.calls;
      expect(await lookup.find('t', 's')).toBe(scenario);
      expect(state.calls).toBe(calls + 1);
    } finally {
      jest.useRealTimers();
    }
  });
});
