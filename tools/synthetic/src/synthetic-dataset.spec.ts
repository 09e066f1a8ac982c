import { generateSyntheticDataset } from './synthetic-dataset';

describe('generateSyntheticDataset', () => {
  it('is deterministic for a seed', () => {
    const now = 1_700_000_000_000;
    const a = generateSyntheticDataset({ seed: 7, items: 50, users: 10, events: 200, now });
    const b = generateSyntheticDataset({ seed: 7, items: 50, users: 10, events: 200, now });
    expect(a.events).toEqual(b.events);
    expect(a.items).toEqual(b.items);
  });

  it('plants the taste structure: most of a user\'s events are in their category', () => {
    const data = generateSyntheticDataset({ seed: 1, items: 240, users: 40, events: 5000, affinity: 0.85 });
    const inCategory = data.events.filter((e) => data.itemCategory.get(e.item_id) === data.userCategory.get(e.user_id)).length;
    expect(inCategory / data.events.length).toBeGreaterThan(0.8);
  });

  it('skews popularity: the top 10% of items take a large share of events', () => {
    const data = generateSyntheticDataset({ seed: 3, items: 600, users: 100, events: 20_000 });
    const counts = new Map<string, number>();
    for (const e of data.events) counts.set(e.item_id, (counts.get(e.item_id) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const head = sorted.slice(0, 60).reduce((a, b) => a + b, 0);
    expect(head / data.events.length).toBeGreaterThan(0.3);
  });
});
