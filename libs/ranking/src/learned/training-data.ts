import { NEGATIVE_ACTIONS, type ActionWeights, type BehaviorEvent } from '@lemo/domain';
import { isActionType, positiveWeight } from '@lemo/features';
import type { FeatureSchema } from './feature-schema';
import type { LabelledExample, RankingItem, RankingUser } from './ranking-example';
import { mulberry32 as seededRandom } from '@lemo/features';

/** The part of a stored behaviour event the rankers learn from. */
export type TrainingEvent = Pick<BehaviorEvent, 'user_id' | 'item_id' | 'action_type' | 'timestamp'> & {
  context?: { device_type?: string };
};

/**
 * Where negatives come from. `auto`: impressions without positive feedback
 * (and explicit dislikes) when the tenant logs impressions, otherwise sampled
 * items; `both`: those plus sampled items.
 */
export type NegativeSource = 'auto' | 'impressions' | 'sampled' | 'both';

export interface TrainingDataOptions {
  negativeSource: NegativeSource;
  /** Sampled negatives per positive, drawn in proportion to training-window popularity. */
  negativesPerPositive: number;
  /**
   * `global`: the latest `testFraction` of all interactions is held out (what
   * serving tomorrow looks like, new users included); `per_user`: the latest
   * `testFraction` of each user's interactions (personalisation on known users).
   */
  split: 'global' | 'per_user';
  /** The latest share of interactions held out for evaluation, per `split`. */
  testFraction: number;
  /** The latest share of the remaining ones used for early stopping, per `split`. */
  validationFraction: number;
  /**
   * Share of training examples shown as from an unknown user (no id), so that
   * path is trained: serving encodes users without train-part positives that
   * way, not with an untrained random row.
   */
  unknownUserRate: number;
  /**
   * `point_in_time`: a user's activity and top category are counted from their
   * positives before each example, as serving counts them from the user's recent
   * interactions (a new user has a profile after a few events); `training_window`:
   * the train part's totals for every example (the artifact's fallback values).
   */
  userProfile: 'point_in_time' | 'training_window';
  actionWeights?: ActionWeights;
  seed: number;
}

export const DEFAULT_TRAINING_DATA_OPTIONS: TrainingDataOptions = {
  negativeSource: 'auto',
  negativesPerPositive: 4,
  split: 'global',
  testFraction: 0.2,
  validationFraction: 0.1,
  unknownUserRate: 0.1,
  userProfile: 'point_in_time',
  seed: 42,
};

/** Per-user and per-item statistics of the training window; stored with the model so serving fills the same values in. */
export interface FeatureStatistics {
  itemPopularity: Record<string, number>;
  userActivity: Record<string, number>;
  userTopCategory: Record<string, string>;
}

export interface TrainingData {
  train: LabelledExample[];
  validation: LabelledExample[];
  test: LabelledExample[];
  statistics: FeatureStatistics;
  scales: FeatureSchema['scales'];
  /** With the global split: interactions at or after this time (unix ms) are held out (Infinity: none); null with per_user. */
  cutoff: number | null;
  negativesFrom: 'impressions' | 'sampled' | 'both';
}

interface Interaction {
  userId: string;
  itemId: string;
  timestamp: number;
  deviceType?: string;
  label: 0 | 1;
}

const pairKey = (userId: string, itemId: string): string => `${userId}\u0000${itemId}`;

/** One example per (user, item): the first positive, else the first impression or explicit rejection. */
function labelInteractions(events: readonly TrainingEvent[], actionWeights: ActionWeights | undefined): { interactions: Interaction[]; hasImpressions: boolean } {
  const positive = new Map<string, Interaction>();
  const negative = new Map<string, Interaction>();
  let hasImpressions = false;
  for (const event of events) {
    const key = pairKey(event.user_id, event.item_id);
    const base = { userId: event.user_id, itemId: event.item_id, timestamp: event.timestamp, deviceType: event.context?.device_type };
    if (positiveWeight(event.action_type, actionWeights) > 0) {
      const seen = positive.get(key);
      if (!seen || event.timestamp < seen.timestamp) positive.set(key, { ...base, label: 1 });
    } else if (event.action_type === 'impression' || (isActionType(event.action_type) && NEGATIVE_ACTIONS.has(event.action_type))) {
      hasImpressions ||= event.action_type === 'impression';
      const seen = negative.get(key);
      if (!seen || event.timestamp < seen.timestamp) negative.set(key, { ...base, label: 0 });
    }
  }
  const negatives = [...negative.entries()].filter(([key]) => !positive.has(key)).map(([, v]) => v);
  return { interactions: [...positive.values(), ...negatives].sort((a, b) => a.timestamp - b.timestamp), hasImpressions };
}

type Part = 'train' | 'validation' | 'test';

/** Splits chronologically sorted interactions: the last `test` share, then the last `validation` share of the rest. */
function assignChronologically(sorted: readonly Interaction[], testFraction: number, validationFraction: number, parts: Map<Interaction, Part>): void {
  const testStart = Math.floor(sorted.length * (1 - testFraction));
  const validationStart = Math.floor(testStart * (1 - validationFraction));
  sorted.forEach((interaction, i) => parts.set(interaction, i >= testStart ? 'test' : i >= validationStart ? 'validation' : 'train'));
}

function assignParts(sorted: readonly Interaction[], opts: TrainingDataOptions): { parts: Map<Interaction, Part>; cutoff: number | null } {
  const parts = new Map<Interaction, Part>();
  if (opts.split === 'global') {
    // Cut on a timestamp, not an index, so interactions at the same instant stay together.
    const first = Math.floor(sorted.length * (1 - opts.testFraction));
    const cutoff = first >= sorted.length ? Number.POSITIVE_INFINITY : sorted[first].timestamp;
    const before = sorted.filter((i) => i.timestamp < cutoff);
    assignChronologically(before, 0, opts.validationFraction, parts);
    sorted.filter((i) => i.timestamp >= cutoff).forEach((i) => parts.set(i, 'test'));
    return { parts, cutoff };
  }
  const byUser = new Map<string, Interaction[]>();
  for (const i of sorted) {
    const own = byUser.get(i.userId);
    if (own) own.push(i);
    else byUser.set(i.userId, [i]);
  }
  for (const own of byUser.values()) assignChronologically(own, opts.testFraction, opts.validationFraction, parts);
  return { parts, cutoff: null };
}

function windowStatistics(positives: readonly Interaction[], catalogue: ReadonlyMap<string, RankingItem>): FeatureStatistics {
  const itemPopularity: Record<string, number> = {};
  const userActivity: Record<string, number> = {};
  const categoryCounts = new Map<string, Map<string, number>>();
  for (const { userId, itemId } of positives) {
    itemPopularity[itemId] = (itemPopularity[itemId] ?? 0) + 1;
    userActivity[userId] = (userActivity[userId] ?? 0) + 1;
    const category = catalogue.get(itemId)?.category;
    if (category === undefined) continue;
    const counts = categoryCounts.get(userId) ?? new Map<string, number>();
    counts.set(category, (counts.get(category) ?? 0) + 1);
    categoryCounts.set(userId, counts);
  }
  const userTopCategory: Record<string, string> = {};
  for (const [userId, counts] of categoryCounts) {
    // Ties go to the alphabetically first category: the same statistics in every run.
    const [top] = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    userTopCategory[userId] = top[0];
  }
  return { itemPopularity, userActivity, userTopCategory };
}

/** Draws item ids in proportion to popularity + 1 (so unseen items stay possible) by binary search on the cumulative weights. */
function popularitySampler(itemIds: readonly string[], popularity: Record<string, number>, random: () => number): () => string {
  const cumulative = new Float64Array(itemIds.length);
  let total = 0;
  itemIds.forEach((id, i) => {
    total += (popularity[id] ?? 0) + 1;
    cumulative[i] = total;
  });
  return () => {
    const target = random() * total;
    let lo = 0;
    let hi = itemIds.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return itemIds[lo];
  };
}

/**
 * Each interaction's user profile from the user's earlier positives only
 * (strictly before it in time order): no label leaks into its own features.
 */
function pointInTimeProfiles(sorted: readonly Interaction[], catalogue: ReadonlyMap<string, RankingItem>): Map<Interaction, { activity: number; topCategory?: string }> {
  const running = new Map<string, { activity: number; categories: Map<string, number>; top?: string; topCount: number }>();
  const profiles = new Map<Interaction, { activity: number; topCategory?: string }>();
  for (const interaction of sorted) {
    const state = running.get(interaction.userId) ?? { activity: 0, categories: new Map<string, number>(), topCount: 0 };
    running.set(interaction.userId, state);
    profiles.set(interaction, { activity: state.activity, topCategory: state.top });
    if (interaction.label !== 1) continue;
    state.activity++;
    const category = catalogue.get(interaction.itemId)?.category;
    if (category === undefined) continue;
    const count = (state.categories.get(category) ?? 0) + 1;
    state.categories.set(category, count);
    if (count > state.topCount) {
      state.top = category;
      state.topCount = count;
    }
  }
  return profiles;
}

/** The user and item as the encoder sees them, with training-window statistics filled in. */
export function withStatistics(userId: string | null, item: RankingItem, statistics: FeatureStatistics): { user: RankingUser; item: RankingItem } {
  // A user without training-window positives has an untrained id embedding: encode them as unknown.
  const known = userId !== null && statistics.userActivity[userId] !== undefined;
  return {
    user: {
      userId: known ? userId : null,
      topCategory: known ? statistics.userTopCategory[userId] : undefined,
      activity: known ? statistics.userActivity[userId] : 0,
    },
    item: { ...item, popularity: item.popularity ?? statistics.itemPopularity[item.itemId] ?? 0 },
  };
}

/**
 * Labelled examples from a tenant's events: positives are events of
 * positive-weight actions; negatives per `negativeSource`. Split by time
 * (`split`, `testFraction`, `validationFraction`); sampled negatives go with
 * their positive. Statistics and scales come from the train part only, so
 * validation and held-out examples see what serving would. Events on
 * items missing from `items` are skipped. Each part is in time order.
 */
export function buildTrainingData(events: readonly TrainingEvent[], items: readonly RankingItem[], options: Partial<TrainingDataOptions> = {}): TrainingData {
  const opts = { ...DEFAULT_TRAINING_DATA_OPTIONS, ...options };
  const catalogue = new Map(items.map((item) => [item.itemId, item]));
  const { interactions, hasImpressions } = labelInteractions(
    events.filter((e) => catalogue.has(e.item_id)),
    opts.actionWeights,
  );
  const useImpressions = opts.negativeSource === 'impressions' || opts.negativeSource === 'both' || (opts.negativeSource === 'auto' && hasImpressions);
  const useSampled = opts.negativeSource === 'sampled' || opts.negativeSource === 'both' || (opts.negativeSource === 'auto' && !hasImpressions);
  const labelled = useImpressions ? interactions : interactions.filter((i) => i.label === 1);

  const { parts, cutoff } = assignParts(labelled, opts);
  // The train part only: a validation user must look like a new user does at serving (unknown, untrained id),
  // or early stopping judges a regime the held-out users are never in.
  const trainWindow = labelled.filter((i) => parts.get(i) === 'train');
  const statistics = windowStatistics(
    trainWindow.filter((i) => i.label === 1),
    catalogue,
  );
  // reduce, not Math.max(...values): a spread of 10⁵ arguments overflows the stack.
  const maximum = (values: Record<string, number>): number => Object.values(values).reduce((m, v) => Math.max(m, v), 1);
  const scales = { popularity: maximum(statistics.itemPopularity), activity: maximum(statistics.userActivity), ageDays: 3650 };

  const random = seededRandom(opts.seed);
  const sample = popularitySampler([...catalogue.keys()], statistics.itemPopularity, random);
  const positivesOf = new Map<string, Set<string>>();
  for (const i of interactions) if (i.label === 1) positivesOf.set(i.userId, (positivesOf.get(i.userId) ?? new Set()).add(i.itemId));

  const profiles = opts.userProfile === 'point_in_time' ? pointInTimeProfiles(labelled, catalogue) : null;
  const toExample = (i: Interaction, itemId: string, label: 0 | 1): LabelledExample => {
    const { user, item } = withStatistics(i.userId, catalogue.get(itemId) as RankingItem, statistics);
    const profile = profiles?.get(i);
    return { user: profile ? { ...user, ...profile } : user, item, moment: { timestamp: i.timestamp, deviceType: i.deviceType }, label };
  };
  const examples: Record<Part, LabelledExample[]> = { train: [], validation: [], test: [] };
  for (const interaction of labelled) {
    const part = parts.get(interaction) as Part;
    const hideUser = part === 'train' && random() < opts.unknownUserRate;
    const add = (itemId: string, label: 0 | 1): void => {
      const example = toExample(interaction, itemId, label);
      // Like a user the model never saw: no id; no profile either unless profiles are counted at the moment.
      const unknown = profiles ? { ...example.user, userId: null } : { userId: null, activity: 0 };
      examples[part].push(hideUser ? { ...example, user: unknown } : example);
    };
    add(interaction.itemId, interaction.label);
    if (!useSampled || interaction.label === 0) continue;
    const liked = positivesOf.get(interaction.userId);
    // A few redraws avoid the user's own positives; a tiny catalogue may still yield fewer negatives.
    for (let k = 0, tries = 0; k < opts.negativesPerPositive && tries < opts.negativesPerPositive * 5; tries++) {
      const itemId = sample();
      if (liked?.has(itemId)) continue;
      add(itemId, 0);
      k++;
    }
  }
  return {
    ...examples,
    statistics,
    scales,
    cutoff,
    negativesFrom: useImpressions && useSampled ? 'both' : useImpressions ? 'impressions' : 'sampled',
  };
}
