import type { BehaviorEvent } from '../behavior/behavior-event';
import { DomainError } from '../errors/domain-error';
import type { Page, PageRequest } from '../shared/paging';

/** A half-open time range [from, to) in unix milliseconds. `from === to` is an empty range. */
export interface AnalyticsRange {
  from: number;
  to: number;
}

export interface ActionStatsFilter extends AnalyticsRange {
  scenarioId?: string;
}

export const TREND_GRANULARITIES = ['hour', 'day'] as const;
export type TrendGranularity = (typeof TREND_GRANULARITIES)[number];

/** Width of a trend bucket; buckets start at UTC hour / day boundaries (unix ms multiples). */
export const TREND_BUCKET_MS: Readonly<Record<TrendGranularity, number>> = { hour: 3_600_000, day: 86_400_000 };

export interface TrendFilter extends AnalyticsRange {
  scenarioId?: string;
  granularity: TrendGranularity;
  /** Only these action types; absent or empty means every action. */
  actions?: readonly string[];
}

/** The most items one `topItems` call returns. */
export const MAX_TOP_ITEMS = 1000;

export interface TopItemsFilter extends AnalyticsRange {
  scenarioId: string;
  /** Only events of these action types count; absent or empty means every action. */
  actionTypes?: readonly string[];
  /** 1..MAX_TOP_ITEMS. */
  limit: number;
}

/** `users` is always the number of distinct user ids behind `events`. */
export interface ActionStat {
  action_type: string;
  events: number;
  users: number;
}

export interface TrendPoint extends ActionStat {
  /** Start of the UTC hour or day, unix ms. */
  bucket_start: number;
}

export interface ItemStat {
  item_id: string;
  events: number;
  users: number;
}

export interface ExperimentStat extends ActionStat {
  experiment_group: string;
}

/** A user's recorded assignment to an experiment: the group serving put them in, and when it first did. */
export interface AssignmentRecord {
  tenant_id: string;
  experiment_id: string;
  /** The variant id, or the holdout group, serving applied (the experiment_group the user's events carry). */
  variant_id: string;
  user_id: string;
  /** When serving first assigned the user, unix ms. */
  assigned_at: number;
}

export interface AssignmentFilter {
  /** Only users of this variant (group). */
  variantId?: string;
  /** Only this user. */
  userId?: string;
}

export interface VariantAssignmentCount {
  variant_id: string;
  users: number;
}

/**
 * Aggregates over behaviour events for dashboards, trends and experiment
 * results. Every query is scoped to one tenant; times are unix ms and ranges
 * are [from, to). An event is counted once per (tenant_id, event_id) no matter
 * how often it was inserted: replaying a batch (whole or overlapping) after a
 * crash never changes any result. When the same event id arrives with
 * different contents, the first stored version wins.
 */
export abstract class AnalyticsStore {
  /** Stores events (of any tenants); already stored (tenant_id, event_id) pairs are ignored. */
  abstract insertBehaviors(events: readonly BehaviorEvent[]): Promise<void>;

  /** Events and distinct users per action type, ordered by action_type. */
  abstract actionStats(tenantId: string, filter: ActionStatsFilter): Promise<ActionStat[]>;

  /** Events and distinct users per (UTC bucket, action type), ordered by bucket_start then action_type; empty buckets are absent. */
  abstract trend(tenantId: string, filter: TrendFilter): Promise<TrendPoint[]>;

  /** A scenario's items by events, best first (ties: more users first, then item_id ascending), at most `limit`. */
  abstract topItems(tenantId: string, filter: TopItemsFilter): Promise<ItemStat[]>;

  /**
   * Events and distinct users per (experiment group, action type) of one
   * experiment, ordered by experiment_group then action_type. Events without
   * an experiment_group belong to no variant and are left out.
   */
  abstract experimentStats(tenantId: string, experimentId: string, filter: AnalyticsRange): Promise<ExperimentStat[]>;

  /** Distinct users with at least one event of any action in the range (optionally of one scenario). */
  abstract activeUsers(tenantId: string, filter: ActionStatsFilter): Promise<number>;

  /**
   * Records assignments (of any tenants). Idempotent per (tenant_id,
   * experiment_id, user_id): recording a user again keeps the earliest
   * assigned_at. A user's variant is deterministic while the experiment can
   * assign, so repeats carry the same variant_id.
   */
  abstract recordAssignments(assignments: readonly AssignmentRecord[]): Promise<void>;

  /** One page of an experiment's recorded assignments, ordered by user_id; `total` counts the filtered ones. */
  abstract assignments(tenantId: string, experimentId: string, filter: AssignmentFilter, page: PageRequest): Promise<Page<AssignmentRecord>>;

  /** Distinct users recorded per variant of one experiment, ordered by variant_id; variants without users are absent. */
  abstract assignmentCounts(tenantId: string, experimentId: string): Promise<VariantAssignmentCount[]>;

  /** Removes every event and every recorded assignment of the user (GDPR) from every query's results. */
  abstract deleteUser(tenantId: string, userId: string): Promise<void>;

  /** Distinct events stored for the tenant, optionally of one scenario. */
  abstract count(tenantId: string, scenarioId?: string): Promise<number>;
}

/**
 * Checks what every adapter must refuse the same way (VALIDATION_FAILED):
 * non-integer times, a range that ends before it starts, an unknown
 * granularity, a limit outside 1..MAX_TOP_ITEMS.
 */
export function checkAnalyticsFilter(filter: AnalyticsRange & { granularity?: unknown; limit?: unknown }): void {
  if (!Number.isSafeInteger(filter.from)) throw DomainError.invalid('from', 'must be unix milliseconds (an integer)');
  if (!Number.isSafeInteger(filter.to)) throw DomainError.invalid('to', 'must be unix milliseconds (an integer)');
  if (filter.to < filter.from) throw DomainError.invalid('to', 'must not be before from');
  if ('granularity' in filter && !(TREND_GRANULARITIES as readonly unknown[]).includes(filter.granularity)) {
    throw DomainError.invalid('granularity', `must be one of: ${TREND_GRANULARITIES.join(', ')}`);
  }
  const { limit } = filter;
  if ('limit' in filter && !(typeof limit === 'number' && Number.isInteger(limit) && limit >= 1 && limit <= MAX_TOP_ITEMS)) {
    throw DomainError.invalid('limit', `must be an integer from 1 to ${MAX_TOP_ITEMS}`);
  }
}

/** An action filter as adapters apply it: undefined (every action) when absent or empty. */
export const actionFilter = (actions: readonly string[] | undefined): readonly string[] | undefined =>
  actions && actions.length > 0 ? [...new Set(actions)] : undefined;

/** The batch without repeated (tenant_id, event_id) pairs, keeping the first occurrence. */
export function firstOccurrences(events: readonly BehaviorEvent[]): BehaviorEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => {
    const key = JSON.stringify([event.tenant_id, event.event_id]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
