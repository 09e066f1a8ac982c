import { ACTION_TYPE_NAMES, DomainError } from '@lemo/domain';
import type { DashboardReport, ExportFormat, TrendReport } from '@lemo/application';
import { recommender, type recommenderCommon } from '@lemo/contracts';

/** A TimeRange as the use cases' query fields (unix ms, [from, to)); unset ends take the use case's defaults (to = now, from = a week before). */
export function rangeQueryOf(range: recommenderCommon.TimeRange | undefined): { from?: number; to?: number } {
  const from = range?.start_time?.getTime();
  const to = range?.end_time?.getTime();
  if (from !== undefined && (!Number.isFinite(from) || from < 0)) throw DomainError.invalid('time_range.start_time', 'must be a time after 1970-01-01');
  if (to !== undefined && (!Number.isFinite(to) || to < 0)) throw DomainError.invalid('time_range.end_time', 'must be a time after 1970-01-01');
  return { ...(from !== undefined && { from }), ...(to !== undefined && { to }) };
}

/** Field paths of the use cases' range (from, to) as the contract names them. */
export function wireRangeField(field: string): string {
  return field === 'from' ? 'time_range.start_time' : field === 'to' ? 'time_range.end_time' : field;
}

/** REST's export route, relative to the REST API's base URL (another process: the gRPC app only names it). */
const REST_EXPORT_PATH = '/api/v1/analytics/export';

/** The REST export of exactly this range (both ends given, so the link keeps returning the same events). */
export function exportDownloadUrl(scenarioId: string, range: { from: number; to: number }, format: ExportFormat): string {
  const query = new URLSearchParams({ scenario_id: scenarioId, from: String(range.from), to: String(range.to), format });
  return `${REST_EXPORT_PATH}?${query.toString()}`;
}

/**
 * The dashboard as the contract's DashboardData. Impressions (recommended items shown, as clients
 * report them) are `total_recommendations`; `active_users` are distinct users with an event of any
 * action in the range; `total_users` are stored profiles; `avg_response_time` is the mean recommend latency in
 * ms of this process (every tenant, since it started; 0 before the first request);
 * `cache_hit_rate` is the share of this tenant's recommendations this process answered from the
 * response cache (0 before the first one).
 */
export function dashboardMessage(report: DashboardReport): recommender.DashboardData {
  return recommender.DashboardData.fromPartial({
    total_recommendations: report.impressions,
    total_clicks: report.clicks,
    ctr: report.ctr ?? 0,
    total_users: report.users,
    active_users: report.active_users,
    total_items: report.items,
    avg_response_time: report.serving_latency.mean_ms ?? 0,
    cache_hit_rate: report.recommendations_served.cache_hit_rate ?? 0,
  });
}

/** Trend metrics: totals per bucket (events, impressions, clicks, ctr), or the events of one action type. */
const BUCKET_METRICS = ['events', 'impressions', 'clicks', 'ctr'] as const;
type BucketMetric = (typeof BUCKET_METRICS)[number];
const ACTIONS: ReadonlySet<string> = new Set(ACTION_TYPE_NAMES);

export function trendMetricsOf(metrics: readonly string[]): string[] {
  const named = metrics.length ? [...new Set(metrics)] : [...BUCKET_METRICS];
  named.forEach((metric, index) => {
    if (!(BUCKET_METRICS as readonly string[]).includes(metric) && !ACTIONS.has(metric)) {
      throw DomainError.invalid(`metrics.${index}`, `unknown metric '${metric}': name one of ${BUCKET_METRICS.join(', ')} or an action type (${ACTION_TYPE_NAMES.join(', ')})`);
    }
  });
  return named;
}

/** One trend per metric; buckets without events are absent, and so are ctr points of buckets without impressions. */
export function trendsMessage(report: TrendReport, metrics: readonly string[]): recommender.MetricTrend[] {
  return metrics.map((metric) => {
    const points = (BUCKET_METRICS as readonly string[]).includes(metric)
      ? report.buckets.flatMap((bucket) => {
          const value = bucket[metric as BucketMetric];
          return value === null ? [] : [{ timestamp: new Date(bucket.bucket_start), value }];
        })
      : report.points.filter((point) => point.action_type === metric).map((point) => ({ timestamp: new Date(point.bucket_start), value: point.events }));
    return recommender.MetricTrend.fromPartial({ metric_name: metric, points });
  });
}
