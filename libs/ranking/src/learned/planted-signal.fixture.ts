import type { RankingItem } from './ranking-example';
import { mulberry32 as seededRandom } from '@lemo/features';
import type { TrainingEvent } from './training-data';

const HOUR = 3600_000;

/**
 * Synthetic events with a pure interaction signal: users of group A click
 * category "x" items, users of group B "y" items (80 % vs 5 %). Every user
 * and every category has the same overall click rate, so a linear model on
 * user id and item category sees no signal; one that multiplies a user factor
 * by a category factor (FM, DeepFM) sees all of it. Impressions mark the
 * shown-and-ignored items.
 */
export function plantedSignalData(options: { users?: number; items?: number; impressionsPerUser?: number; seed?: number } = {}): {
  events: TrainingEvent[];
  items: RankingItem[];
} {
  const { users = 160, items: itemCount = 60, impressionsPerUser = 30, seed = 1 } = options;
  const random = seededRandom(seed);
  const items: RankingItem[] = Array.from({ length: itemCount }, (_, i) => ({ itemId: `item-${i}`, category: i % 2 === 0 ? 'x' : 'y', tags: [] }));
  const events: TrainingEvent[] = [];
  for (let u = 0; u < users; u++) {
    const group = u % 2 === 0 ? 'x' : 'y';
    for (let k = 0; k < impressionsPerUser; k++) {
      const item = items[Math.floor(random() * itemCount)];
      // Spread over time so the chronological split holds out every user's latest events.
      const timestamp = 1_700_000_000_000 + k * HOUR + u * 1000;
      events.push({ user_id: `user-${u}`, item_id: item.itemId, action_type: 'impression', timestamp });
      if (random() < (item.category === group ? 0.8 : 0.05)) events.push({ user_id: `user-${u}`, item_id: item.itemId, action_type: 'click', timestamp: timestamp + 1 });
    }
  }
  return { events, items };
}
