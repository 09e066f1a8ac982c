import { FeatureEncoder } from './feature-encoder';
import { defaultFeatureSchema } from './feature-schema';
import type { RankingExample } from './ranking-example';

const example: RankingExample = {
  user: { userId: 'u1', topCategory: 'books', activity: 12 },
  item: { itemId: 'i9', category: 'books', tags: ['a', 'b'], publishedAt: Date.UTC(2026, 0, 1), popularity: 40 },
  moment: { timestamp: Date.UTC(2026, 0, 8, 13), deviceType: 'mobile' },
};

describe('FeatureEncoder', () => {
  const schema = { ...defaultFeatureSchema(), scales: { popularity: 100, activity: 50, ageDays: 3650 } };

  it('encodes the same example identically, also after the schema went through JSON', () => {
    const first = new FeatureEncoder(schema).encode([example]);
    const again = new FeatureEncoder(JSON.parse(JSON.stringify(schema))).encode([example]);
    expect(Array.from(again.indices)).toEqual(Array.from(first.indices));
    expect(Array.from(again.dense)).toEqual(Array.from(first.dense));
  });

  it('gives each field its own block of the vocabulary, bucket 0 for missing values', () => {
    const encoder = new FeatureEncoder(schema);
    expect(encoder.slotCount).toBe(schema.sparse.length + 2); // item_tag has 3 slots
    const anonymous = encoder.encode([{ user: { userId: null }, item: { itemId: 'i9' }, moment: { timestamp: 0 } }]);
    let slot = 0;
    let offset = 0;
    for (const field of schema.sparse) {
      for (let s = 0; s < field.slots; s++, slot++) {
        const id = anonymous.indices[slot];
        expect(id).toBeGreaterThanOrEqual(offset);
        expect(id).toBeLessThan(offset + field.buckets);
        if (['user_id', 'item_category', 'item_tag', 'device', 'user_top_category', 'user_category_x_item_category'].includes(field.name)) expect(id).toBe(offset);
      }
      offset += field.buckets;
    }
    expect(offset).toBe(encoder.vocabularySize);
  });

  it('indexes hour of day and day of week directly (UTC) and fills unused tag slots with "missing"', () => {
    const encoder = new FeatureEncoder(schema);
    const { indices } = encoder.encode([example]);
    const slotOf = (name: string) => schema.sparse.slice(0, schema.sparse.findIndex((f) => f.name === name)).reduce((n, f) => n + f.slots, 0);
    const offsetOf = (name: string) => schema.sparse.slice(0, schema.sparse.findIndex((f) => f.name === name)).reduce((n, f) => n + f.buckets, 0);
    expect(indices[slotOf('hour_of_day')] - offsetOf('hour_of_day')).toBe(1 + 13);
    expect(indices[slotOf('day_of_week')] - offsetOf('day_of_week')).toBe(1 + 4); // 2026-01-08 is a Thursday
    const tags = Array.from(indices.subarray(slotOf('item_tag'), slotOf('item_tag') + 3));
    expect(tags[0]).not.toBe(tags[1]);
    expect(tags[2]).toBe(offsetOf('item_tag'));
  });

  it('scales dense fields into [0, 1] with the fitted scales', () => {
    const { dense } = new FeatureEncoder(schema).encode([example]);
    expect(dense[0]).toBeCloseTo(Math.log1p(40) / Math.log1p(100), 6); // popularity
    expect(dense[1]).toBeCloseTo(Math.log1p(7.5416667) / Math.log1p(3650), 4); // age in days
    expect(dense[2]).toBeCloseTo(Math.log1p(12) / Math.log1p(50), 6); // activity
    const unknownAge = new FeatureEncoder(schema).encode([{ ...example, item: { itemId: 'x' } }]);
    expect(unknownAge.dense[1]).toBe(1);
  });
});
