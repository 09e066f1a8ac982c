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
  type MetadataValue,
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
  type ItemDistributionQuery,
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
  /** Distinct users with at least one event of any action in the range. */
  active_users: number;
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

export interface DistributionEntry {
  /** The value as text: a bucket reads `[10, 20)`. */
  label: string;
  /** The value itself; a bucket's lower bound for numbers counted with bucket_width. */
  value: MetadataValue;
  type: 'string' | 'number' | 'boolean' | 'bucket';
  items: number;
  /** items / the scenario's items × 100 (array fields can add up to more than 100). */
  percentage: number;
}

export interface ItemDistributionReport {
  scenario_id: string;
  field: string;
  bucket_width: number | null;
  /** Items of the scenario (deleted ones excluded). */
  items: number;
  items_with_value: number;
  /** Items without a countable value (absent, null, an object). */
  items_without_value: number;
  /** Distinct values found; `distribution` lists the first `limit` of them, most items first. */
  distinct_values: number;
  distribution: DistributionEntry[];
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
    const filter = { ...range, ...(scenarioId && { scenarioId }) };
    const [actions, activeUsers, items, users, servingLatency, served] = await Promise.all([
      this.analytics.actionStats(tenantId, filter),
      this.analytics.activeUsers(tenantId, filter),
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
      active_users: activeUsers,
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
   * Items of a scenario per value of one metadata field, counted over the
   * catalogue in the document store (not over events): a string or number
   * counts as itself, an array once per distinct element (tags), numbers per
   * bucket with `bucket_width` (price bands). A field no item has is an empty
   * distribution, not an error; a malformed field name is VALIDATION_FAILED.
   */
  async itemDistribution(tenantId: string, query: ItemDistributionQuery): Promise<ItemDistributionReport> {
    await this.scenarios.require(tenantId, query.scenario_id);
    const width = query.bucket_width;
    const counts = await this.items.metadataValueCounts(tenantId, query.scenario_id, query.field, width === undefined ? {} : { bucketWidth: width });
    return {
      scenario_id: query.scenario_id,
      field: query.field,
      bucket_width: width ?? null,
      items: counts.items,
      items_with_value: counts.items_with_value,
      items_without_value: counts.items - counts.items_with_value,
      distinct_values: counts.values.length,
      distribution: counts.values.slice(0, query.limit).map(({ value, items }) => {
        const bucket = width !== undefined && typeof value === 'number';
        return {
          label: bucket ? `[${value}, ${Number((value + width).toPrecision(12))})` : String(value),
          value,
          type: bucket ? 'bucket' : (typeof value as 'string' | 'number' | 'boolean'),
          items,
          percentage: counts.items > 0 ? (items / counts.items) * 100 : 0,
        };
      }),
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

  /**
   * What `export` would produce for the query, without producing it: the
   * range it covers (to pinned to now when absent, so the same request
   * returns the same events later), the file name and how many events it
   * holds, counted through the same scan.
   */
  async exportSummary(tenantId: string, query: ExportQuery): Promise<{ format: ExportFormat; range: AnalyticsRange; file_name: string; record_count: number }> {
    const range = await this.rangeOf(tenantId, query);
    let records = 0;
    for await (const batch of this.events.scan(tenantId, query.scenario_id, { since: range.from, batchSize: EXPORT_BATCH })) {
      const inRange = batch.filter((event) => event.timestamp < range.to).length;
      records += inRange;
      if (inRange < batch.length) break;
    }
    return { format: query.format, range, file_name: exportFileName(query.scenario_id, query.format), record_count: records };
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

/** The download name of an export, as REST's Content-Disposition gives it. */
export function exportFileName(scenarioId: string, format: ExportFormat): string {
  return `events-${scenarioId}.${format}`;
}

function jsonLine(event: BehaviorEvent): string {
  return `${JSON.stringify(event)}\n`;
}
