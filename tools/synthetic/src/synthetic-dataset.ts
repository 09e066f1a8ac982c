import type { ActionType, BehaviorEventInput, CreateItemInput } from '@lemo/domain';
import { pick, seededRandom, zipfIndex } from './random';
import { ADJECTIVES, CATEGORY_WORDS } from './vocabulary';

export interface SyntheticOptions {
  seed?: number;
  items?: number;
  users?: number;
  events?: number;
  scenarioId?: string;
  /** Probability that an interaction stays inside the user's taste cluster. */
  affinity?: number;
  /** Events are spread over this many days before `now`. */
  days?: number;
  now?: number;
}

export interface SyntheticDataset {
  items: CreateItemInput[];
  userIds: string[];
  events: BehaviorEventInput[];
  /** Planted truth: each user's favourite category, each item's category. */
  userCategory: Map<string, string>;
  itemCategory: Map<string, string>;
}

const CATEGORIES = Object.keys(CATEGORY_WORDS);
const ACTIONS: Array<[ActionType, number]> = [
  ['click', 0.55],
  ['view', 0.15],
  ['like', 0.1],
  ['favorite', 0.05],
  ['share', 0.04],
  ['add_cart', 0.05],
  ['purchase', 0.03],
  ['comment', 0.03],
];

function weightedAction(random: () => number): ActionType {
  let u = random();
  for (const [action, p] of ACTIONS) {
    if ((u -= p) <= 0) return action;
  }
  return 'click';
}

/**
 * A catalogue and a behaviour log with planted structure: every user has a
 * favourite category and interacts inside it with probability `affinity`;
 * inside a category popularity is Zipf-skewed; item text uses the category's
 * vocabulary. A recommender that works recovers the users' categories.
 */
export function generateSyntheticDataset(options: SyntheticOptions = {}): SyntheticDataset {
  const { seed = 42, items: itemCount = 1000, users: userCount = 300, events: eventCount = 20_000, scenarioId = 'home_feed', affinity = 0.85, days = 30 } = options;
  const now = options.now ?? Date.now();
  const random = seededRandom(seed);

  const itemsByCategory = new Map<string, string[]>(CATEGORIES.map((c) => [c, []]));
  const itemCategory = new Map<string, string>();
  const items: CreateItemInput[] = [];
  for (let i = 0; i < itemCount; i++) {
    const category = CATEGORIES[i % CATEGORIES.length];
    const words = CATEGORY_WORDS[category];
    const itemId = `item_${String(i).padStart(6, '0')}`;
    const tags = [pick(random, words), pick(random, words)].filter((t, k, all) => all.indexOf(t) === k);
    items.push({
      item_id: itemId,
      status: 'active',
      metadata: {
        title: `${pick(random, ADJECTIVES)} ${pick(random, words)} ${pick(random, words)}`,
        description: `A ${category} item: ${pick(random, words)}, ${pick(random, words)} and ${pick(random, words)}.`,
        category,
        tags,
        price: Math.round(5 + random() * 495),
        publish_time: now - Math.floor(random() * days * 86_400_000),
        scenario: scenarioId,
      },
    });
    itemsByCategory.get(category)?.push(itemId);
    itemCategory.set(itemId, category);
  }

  const userIds = Array.from({ length: userCount }, (_, u) => `user_${String(u).padStart(5, '0')}`);
  const userCategory = new Map(userIds.map((id, u) => [id, CATEGORIES[(u * 7) % CATEGORIES.length]]));

  const events: BehaviorEventInput[] = [];
  for (let e = 0; e < eventCount; e++) {
    const userId = userIds[zipfIndex(random, userCount, 0.7)];
    const category = random() < affinity ? (userCategory.get(userId) as string) : pick(random, CATEGORIES);
    const pool = itemsByCategory.get(category) as string[];
    if (pool.length === 0) continue;
    const itemId = pool[zipfIndex(random, pool.length)];
    events.push({
      event_id: `evt_${seed}_${e}`,
      scenario_id: scenarioId,
      user_id: userId,
      item_id: itemId,
      action_type: weightedAction(random),
      timestamp: now - Math.floor(random() * days * 86_400_000),
      context: { device_type: random() < 0.7 ? 'mobile' : 'pc' },
    });
  }
  events.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
  return { items, userIds, events, userCategory, itemCategory };
}
