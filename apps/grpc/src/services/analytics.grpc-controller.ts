import { Controller } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import {
  AnalyticsUseCase,
  dashboardQuerySchema,
  EXPORT_FORMATS,
  exportQuerySchema,
  funnelQuerySchema,
  itemDistributionQuerySchema,
  MAX_DISTRIBUTION_VALUES,
  trendQuerySchema,
} from '@lemo/application';
import { DomainError, isDomainError, parseOrThrow, TREND_GRANULARITIES } from '@lemo/domain';
import { recommender } from '@lemo/contracts';
import { GrpcCalls } from '../call/grpc-calls';
import { GrpcService, type UnaryHandlers } from '../grpc-service.decorator';
import { dashboardMessage, exportDownloadUrl, rangeQueryOf, trendMetricsOf, trendsMessage, wireRangeField } from '../mapping/analytics.mapping';
import { idOf, presentString } from '../mapping/proto-values';

/**
 * lemo.recommender.v1.AnalyticsService on AnalyticsUseCase (REST's /analytics): measured from the
 * analytics store, the event log and the repositories of the caller's tenant. A scenario_id the
 * tenant does not have is NOT_FOUND.
 */
@Controller()
@GrpcService('AnalyticsService', recommender.AnalyticsServiceService)
export class AnalyticsGrpcController implements UnaryHandlers<recommender.AnalyticsServiceServer> {
  constructor(
    private readonly calls: GrpcCalls,
    private readonly analytics: AnalyticsUseCase,
  ) {}

  getDashboard(request: recommender.GetDashboardRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetDashboardRequest, recommender.GetDashboardResponse>) {
    return this.calls.run(call, 'read', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const query = parseOrThrow(dashboardQuerySchema, { ...scenarioOf(request.scenario_id), ...rangeQueryOf(request.time_range) });
      return { data: dashboardMessage(await this.analytics.dashboard(tenantId, query).catch(withWireRangeFields)) };
    });
  }

  /**
   * `metrics`: events, impressions, clicks, ctr (the default: all four) or action types (that action's
   * events); `granularity`: hour (default) or day, buckets in UTC.
   */
  getMetricsTrend(request: recommender.GetMetricsTrendRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetMetricsTrendRequest, recommender.GetMetricsTrendResponse>) {
    return this.calls.run(call, 'read', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const metrics = trendMetricsOf(request.metrics);
      if (request.granularity && !(TREND_GRANULARITIES as readonly string[]).includes(request.granularity)) {
        throw DomainError.invalid('granularity', `must be one of: ${TREND_GRANULARITIES.join(', ')}`);
      }
      const query = parseOrThrow(trendQuerySchema, { ...scenarioOf(request.scenario_id), ...rangeQueryOf(request.time_range), ...(request.granularity && { granularity: request.granularity }) });
      return { trends: trendsMessage(await this.analytics.trends(tenantId, query).catch(withWireRangeFields), metrics) };
    });
  }

  /**
   * Items of the scenario per value of the metadata field `dimension` (category, tags, author…), most
   * items first, counted over the catalogue like REST's GET /analytics/item-distribution; `percentage`
   * is items / the scenario's items × 100. scenario_id is required; a malformed dimension is INVALID_ARGUMENT.
   */
  getItemDistribution(request: recommender.GetItemDistributionRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetItemDistributionRequest, recommender.GetItemDistributionResponse>) {
    return this.calls.run(call, 'read', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const query = (() => {
        try {
          return parseOrThrow(itemDistributionQuerySchema, { scenario_id: presentString(request.scenario_id), field: request.dimension, limit: MAX_DISTRIBUTION_VALUES });
        } catch (error) {
          // The use case's `field` is the request's `dimension`.
          return withWireFields(error, (field) => (field === 'field' ? 'dimension' : field));
        }
      })();
      const report = await this.analytics.itemDistribution(tenantId, query);
      return { distribution: report.distribution.map((entry) => ({ label: entry.label, count: entry.items, percentage: entry.percentage })) };
    });
  }

  /** `stats`: every action's events and distinct users in the range; `funnel_data`: the default step funnel (impression → click → add_cart → order → purchase) with step rates. */
  getUserBehaviorAnalysis(request: recommender.GetUserBehaviorAnalysisRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetUserBehaviorAnalysisRequest, recommender.GetUserBehaviorAnalysisResponse>) {
    return this.calls.run(call, 'read', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const fields = { ...scenarioOf(request.scenario_id), ...rangeQueryOf(request.time_range) };
      const [dashboard, funnel] = await Promise.all([
        this.analytics.dashboard(tenantId, parseOrThrow(dashboardQuerySchema, fields)),
        this.analytics.funnel(tenantId, parseOrThrow(funnelQuerySchema, fields)),
      ]).catch(withWireRangeFields);
      return {
        stats: dashboard.actions.map((stat) => ({ action_type: stat.action_type, count: stat.events, unique_users: stat.users })),
        funnel_data: JSON.parse(JSON.stringify({ range: funnel.range, scenario_id: funnel.scenario_id, steps: funnel.steps })) as Record<string, unknown>,
      };
    });
  }

  /**
   * The export REST's GET /api/v1/analytics/export produces, described rather than inlined (a gRPC
   * message is no place for an unbounded file): `download_url` is that route (relative to the REST
   * API's base) with the range pinned, so it returns these `record_count` events (as CSV or JSON lines,
   * `format`, default jsonl) with the same API key; `expires_at` is unset, as the link does not expire.
   * `data_type` is `behaviors` (the default; `events` is the same), the only data exported today.
   */
  exportData(request: recommender.ExportDataRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.ExportDataRequest, recommender.ExportDataResponse>) {
    return this.calls.run(call, 'read', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      if (request.data_type && !EXPORT_DATA_TYPES.includes(request.data_type)) {
        throw DomainError.invalid('data_type', `must be one of: ${EXPORT_DATA_TYPES.join(', ')}`);
      }
      if (request.format && !(EXPORT_FORMATS as readonly string[]).includes(request.format)) {
        throw DomainError.invalid('format', `must be one of: ${EXPORT_FORMATS.join(', ')}`);
      }
      const query = parseOrThrow(exportQuerySchema, {
        scenario_id: presentString(request.scenario_id),
        ...rangeQueryOf(request.time_range),
        ...(request.format && { format: request.format }),
      });
      const summary = await this.analytics.exportSummary(tenantId, query).catch(withWireRangeFields);
      return {
        download_url: exportDownloadUrl(query.scenario_id, summary.range, summary.format),
        file_name: summary.file_name,
        record_count: summary.record_count,
        expires_at: undefined,
      };
    });
  }
}

/** What ExportData can export: behaviour events, under either name. */
const EXPORT_DATA_TYPES = ['behaviors', 'events'];

const scenarioOf = (scenarioId: string): { scenario_id?: string } => {
  const present = presentString(scenarioId);
  return present === undefined ? {} : { scenario_id: idOf(present, 'scenario_id') };
};

/** The use cases name the range's ends `from` and `to`; the request names them time_range.start_time / end_time. */
function withWireRangeFields(error: unknown): never {
  return withWireFields(error, wireRangeField);
}

/** Rethrows a validation error with its field paths renamed to the request's. */
function withWireFields(error: unknown, wireField: (field: string) => string): never {
  if (isDomainError(error) && error.issues.length) {
    const issues = error.issues.map((issue) => ({ ...issue, field: wireField(issue.field) }));
    throw new DomainError(error.code, issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '), issues);
  }
  throw error;
}
