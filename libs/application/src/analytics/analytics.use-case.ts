import { Injectable } from '@nestjs/common';
import {
  AnalyticsStore,
  DomainError,
  EventStore,
  ItemRepository,
  UserRepository,
  type ActionStat,
  type AnalyticsRange,
  type BehaviorEvent,
  type ItemStat,
  type TrendGranularity,
  type TrendPoint,
} from '@lemo/domain';
import { ScenarioLookup } from '../scenarios/scenario-lookup';
import {
  DEFAULT_FUNNEL_STEPS,
  DEFAULT_RANGE_MS,
  splitActions,
  type DashboardQuery,
  type ExportFormat,
  type ExportQuery,
  type FunnelQuery,
  type TopItemsQuery,
  type TrendQuery,
} from './analytics-requests';
import { csvHeader, csvLine } from './event-csv';
import { ServingLatency, type LatencySummary, type ServedSummary } from './serving-latency';

export interface DashboardReport {
  range: AnalyticsRange;
  scenario_id: string | null;
  /** Impressions are recommended items shown to users, as clients report them. */
  impressions: number;
  clicks: number;
  /** clicks / impressions; null without impressions. */
  ctr: number | null;
  /** Distinct users with at least one impression in the range. */
  impression_users: number;
  /** Distinct users with at least one click in the range. */
  click_users: number;
  /** Every action's events and distinct users in the range. */
  actions: ActionStat[];
  /** Distinct events in the range, every action. */
  events: number;
  /** Items in the catalogue now (of the scenario, or of every scenario). */
  items: number;
  /** Users with a stored profile now. */
  users: number;
  /** POST /recommend latency of this process since it started (every tenant): the only place it is measured today. */
  serving_latency: LatencySummary;
  /** Recommendations this process served the tenant since it started, and the response-cache hit rate among them. */
  recommendations_served: ServedSummary;
}

export interface TrendBucket {
  bucket_start: number;
  events: number;
  impressions: number;
  clicks: number;
  ctr: number | null;
}

export interface TrendReport {
  range: AnalyticsRange;
  granularity: TrendGranularity;
  /** Per-bucket totals of the selected actions; buckets without events are absent. */
  buckets: TrendBucket[];
  /** Per (bucket, action) events and distinct users, as the store reports them. */
  points: TrendPoint[];
}

export interface FunnelStep {
  action_type: string;
  events: number;
  users: number;
  /** users / the previous step's users; null for the first step or after an empty step. */
  rate_from_previous: number | null;
  /** users / the first step's users; null when the first step is empty. */
  rate_from_first: number | null;
}

export interface FunnelReport {
  range: AnalyticsRange;
  scenario_id: string | null;
  steps: FunnelStep[];
}

/** Events read per batch while exporting: bounded memory whatever the range. */
const EXPORT_BATCH = 1000;

/**
 * Dashboards, trends, top items, the behaviour funnel and event exports,
 * measured from the analytics store, the event log and the repositories:
 * nothing here is estimated or made up. Every query is scoped to the tenant;
 * naming a scenario the tenant does not have is NOT_FOUND.
 */
@Injectable()
export class AnalyticsUseCase {
  constructor(
    private readonly analytics: AnalyticsStore,
    private readonly events: EventStore,
    private readonly items: ItemRepository,
    private readonly users: UserRepository,
    private readonly scenarios: ScenarioLookup,
    private readonly latency: ServingLatency,
  ) {}

  async dashboard(tenantId: string, query: DashboardQuery): Promise<DashboardReport> {
    const range = await this.rangeOf(tenantId, query);
    const scenarioId = query.scenario_id;
    const [actions, items, users, servingLatency, served] = await Promise.all([
      this.analytics.actionStats(tenantId, { ...range, ...(scenarioId && { scenarioId }) }),
      this.items.count(tenantId, scenarioId),
      this.users.count(tenantId),
      this.latency.summary(),
      this.latency.served(tenantId),
    ]);
    const impressions = statOf(actions, 'impression');
    const clicks = statOf(actions, 'click');
    return {
      range,
      scenario_id: scenarioId ?? null,
      impressions: impressions.events,
      clicks: clicks.events,
      ctr: ratio(clicks.events, impressions.events),
      impression_users: impressions.users,
      click_users: clicks.users,
      actions,
      events: actions.reduce((sum, stat) => sum + stat.events, 0),
      items,
      users,
      serving_latency: servingLatency,
      recommendations_served: served,
    };
  }

  async trends(tenantId: string, query: TrendQuery): Promise<TrendReport> {
    const range = await this.rangeOf(tenantId, query);
    const actions = query.actions ? splitActions(query.actions) : undefined;
    const points = await this.analytics.trend(tenantId, {
      ...range,
      granularity: query.granularity,
      ...(query.scenario_id && { scenarioId: query.scenario_id }),
      ...(actions && { actions }),
    });
    const buckets = new Map<number, TrendBucket>();
    for (const point of points) {
      const bucket = buckets.get(point.bucket_start) ?? { bucket_start: point.bucket_start, events: 0, impressions: 0, clicks: 0, ctr: null };
      bucket.events += point.events;
      if (point.action_type === 'impression') bucket.impressions += point.events;
      if (point.action_type === 'click') bucket.clicks += point.events;
      buckets.set(point.bucket_start, bucket);
    }
    const ordered = [...buckets.values()].sort((a, b) => a.bucket_start - b.bucket_start).map((bucket) => ({ ...bucket, ctr: ratio(bucket.clicks, bucket.impressions) }));
    return { range, granularity: query.granularity, buckets: ordered, points };
  }

  async topItems(tenantId: string, query: TopItemsQuery): Promise<{ range: AnalyticsRange; scenario_id: string; items: ItemStat[] }> {
    const range = await this.rangeOf(tenantId, query);
    const actionTypes = query.actions ? splitActions(query.actions) : undefined;
    const items = await this.analytics.topItems(tenantId, { ...range, scenarioId: query.scenario_id, limit: query.limit, ...(actionTypes && { actionTypes }) });
    return { range, scenario_id: query.scenario_id, items };
  }

  /**
   * Distinct users per step (impression → click → ... by default). Each step
   * counts its users independently: a user who bought without a recorded
   * click still counts at `purchase`. The store counts distinct users per
   * action, not per sequence, so this is a step-volume funnel, not an ordered one.
   */
  async funnel(tenantId: string, query: FunnelQuery): Promise<FunnelReport> {
    const range = await this.rangeOf(tenantId, query);
    const steps = query.steps ? splitActions(query.steps) : [...DEFAULT_FUNNEL_STEPS];
    if (steps.length === 0) throw DomainError.invalid('steps', 'name at least one action type');
    const actions = await this.analytics.actionStats(tenantId, { ...range, ...(query.scenario_id && { scenarioId: query.scenario_id }) });
    const counted = steps.map((action) => statOf(actions, action));
    return {
      range,
      scenario_id: query.scenario_id ?? null,
      steps: counted.map((stat, i) => ({
        action_type: stat.action_type,
        events: stat.events,
        users: stat.users,
        rate_from_previous: i === 0 ? null : ratio(stat.users, counted[i - 1].users),
        rate_from_first: ratio(stat.users, counted[0].users),
      })),
    };
  }

  /**
   * A scenario's raw events of a time range, oldest first, as CSV or JSON
   * lines, read from the event log in batches so that any range streams in
   * bounded memory. Checks the request before the first line is produced, so
   * a bad one still gets a proper error response.
   */
  async export(tenantId: string, query: ExportQuery): Promise<{ format: ExportFormat; lines: AsyncIterable<string> }> {
    const range = await this.rangeOf(tenantId, query);
    return { format: query.format, lines: this.exportLines(tenantId, query.scenario_id, range, query.format) };
  }

  private async *exportLines(tenantId: string, scenarioId: string, range: AnalyticsRange, format: ExportFormat): AsyncIterable<string> {
    if (format === 'csv') yield csvHeader();
    for await (const batch of this.events.scan(tenantId, scenarioId, { since: range.from, batchSize: EXPORT_BATCH })) {
      for (const event of batch) {
        // The scan is in timestamp order: the first event past the range ends the export.
        if (event.timestamp >= range.to) return;
        yield format === 'csv' ? csvLine(event) : jsonLine(event);
      }
    }
  }

  /** The query's range with its defaults, after checking the scenario belongs to the tenant. */
  private async rangeOf(tenantId: string, query: { from?: number; to?: number; scenario_id?: string }): Promise<AnalyticsRange> {
    if (query.scenario_id) await this.scenarios.require(tenantId, query.scenario_id);
    const to = query.to ?? Date.now();
    const from = query.from ?? Math.max(0, to - DEFAULT_RANGE_MS);
    if (to < from) throw DomainError.invalid('to', 'must not be before from');
    return { from, to };
  }
}

function statOf(stats: readonly ActionStat[], action: string): ActionStat {
  return stats.find((stat) => stat.action_type === action) ?? { action_type: action, events: 0, users: 0 };
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

function jsonLine(event: BehaviorEvent): string {
  return `${JSON.stringify(event)}\n`;
}
