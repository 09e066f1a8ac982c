import {
  actionFilter,
  firstOccurrences,
  TREND_BUCKET_MS,
  type ActionStat,
  type ActionStatsFilter,
  type AnalyticsRange,
  type BehaviorEvent,
  type ExperimentStat,
  type ItemStat,
  type TopItemsFilter,
  type TrendFilter,
  type TrendPoint,
} from '../src/index';
import { seededRandom } from './planted-vectors';

interface Tally {
  events: number;
  users: Set<string>;
}

interface Counts {
  events: number;
  users: number;
}

/** Groups events by a key (kept as a tuple) and counts events and distinct users per group. */
function tally<K extends readonly (string | number)[]>(events: readonly BehaviorEvent[], keyOf: (event: BehaviorEvent) => K): Array<[K, Counts]> {
  const groups = new Map<string, { key: K; tally: Tally }>();
  for (const event of events) {
    const key = keyOf(event);
    const id = JSON.stringify(key);
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { key, tally: { events: 0, users: new Set() } }));
    group.tally.events += 1;
    group.tally.users.add(event.user_id);
  }
  return [...groups.values()].map(({ key, tally: t }) => [key, { events: t.events, users: t.users.size }]);
}

const compare = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The AnalyticsStore's answers computed by brute force over a list of events,
 * exactly as the port documents them (first occurrence of an id wins, [from,
 * to) ranges, UTC buckets, orderings). Suites compare adapters against it on
 * generated data.
 */
export class AnalyticsReference {
  private readonly events: BehaviorEvent[];

  constructor(events: readonly BehaviorEvent[]) {
    this.events = firstOccurrences(events);
  }

  private select(tenantId: string, range: AnalyticsRange, scenarioId?: string, actions?: readonly string[]): BehaviorEvent[] {
    const only = actionFilter(actions);
    return this.events.filter(
      (event) =>
        event.tenant_id === tenantId &&
        event.timestamp >= range.from &&
        event.timestamp < range.to &&
        (scenarioId === undefined || event.scenario_id === scenarioId) &&
        (only === undefined || only.includes(event.action_type)),
    );
  }

  actionStats(tenantId: string, filter: ActionStatsFilter): ActionStat[] {
    return tally(this.select(tenantId, filter, filter.scenarioId), (event) => [event.action_type] as const)
      .map(([[action_type], counts]) => ({ action_type, ...counts }))
      .sort((a, b) => compare(a.action_type, b.action_type));
  }

  trend(tenantId: string, filter: TrendFilter): TrendPoint[] {
    const width = TREND_BUCKET_MS[filter.granularity];
    return tally(this.select(tenantId, filter, filter.scenarioId, filter.actions), (event) => [Math.floor(event.timestamp / width) * width, event.action_type] as const)
      .map(([[bucket_start, action_type], counts]) => ({ bucket_start, action_type, ...counts }))
      .sort((a, b) => a.bucket_start - b.bucket_start || compare(a.action_type, b.action_type));
  }

  topItems(tenantId: string, filter: TopItemsFilter): ItemStat[] {
    return tally(this.select(tenantId, filter, filter.scenarioId, filter.actionTypes), (event) => [event.item_id] as const)
      .map(([[item_id], counts]) => ({ item_id, ...counts }))
      .sort((a, b) => b.events - a.events || b.users - a.users || compare(a.item_id, b.item_id))
      .slice(0, filter.limit);
  }

  experimentStats(tenantId: string, experimentId: string, filter: AnalyticsRange): ExperimentStat[] {
    const inExperiment = this.select(tenantId, filter).filter((event) => event.experiment_id === experimentId && !!event.experiment_group);
    return tally(inExperiment, (event) => [event.experiment_group ?? '', event.action_type] as const)
      .map(([[experiment_group, action_type], counts]) => ({ experiment_group, action_type, ...counts }))
      .sort((a, b) => compare(a.experiment_group, b.experiment_group) || compare(a.action_type, b.action_type));
  }

  activeUsers(tenantId: string, filter: ActionStatsFilter): number {
    return new Set(this.select(tenantId, filter, filter.scenarioId).map((event) => event.user_id)).size;
  }

  count(tenantId: string, scenarioId?: string): number {
    return this.events.filter((event) => event.tenant_id === tenantId && (scenarioId === undefined || event.scenario_id === scenarioId)).length;
  }

  /** A reference without the user's events, as after AnalyticsStore.deleteUser. */
  withoutUser(tenantId: string, userId: string): AnalyticsReference {
    return new AnalyticsReference(this.events.filter((event) => !(event.tenant_id === tenantId && event.user_id === userId)));
  }
}

export const GENERATED_ACTIONS = ['impression', 'click', 'like', 'purchase'] as const;

/**
 * `count` events of one tenant spread at random over `spanMs` from `start`
 * (any millisecond, so hour and day borders are crossed), over 2 scenarios,
 * 20 users, 30 items, 4 actions, and an experiment with two groups (plus
 * events of no experiment and of no group). Deterministic for a seed.
 */
export function generatedBehaviors(tenantId: string, options: { count: number; start: number; spanMs: number; seed: number }): BehaviorEvent[] {
  const random = seededRandom(options.seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  return Array.from({ length: options.count }, (_, i) => {
    const timestamp = options.start + Math.floor(random() * options.spanMs);
    const experiment = pick(['exp1', 'exp1', 'exp1', 'exp2', undefined]);
    const group = experiment && pick(['control', 'b', 'b', undefined]);
    return {
      tenant_id: tenantId,
      event_id: `g${options.seed}-${i}`,
      scenario_id: pick(['home', 'home', 'news']),
      user_id: `u${Math.floor(random() * 20)}`,
      // Skewed towards low item numbers so the top items are not all ties.
      item_id: `i${Math.floor(random() * random() * 30)}`,
      action_type: pick(GENERATED_ACTIONS),
      timestamp,
      received_at: timestamp,
      ...(experiment && { experiment_id: experiment }),
      ...(group && { experiment_group: group }),
    };
  });
}
