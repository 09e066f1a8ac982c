import { Controller } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { AnalyticsUseCase, dashboardQuerySchema, funnelQuerySchema, trendQuerySchema } from '@lemo/application';
import { DomainError, isDomainError, parseOrThrow, TREND_GRANULARITIES } from '@lemo/domain';
import { recommender } from '@lemo/contracts';
import { GrpcCalls } from '../call/grpc-calls';
import { GrpcStatusError } from '../call/grpc-status-error';
import { GrpcService, type UnaryHandlers } from '../grpc-service.decorator';
import { dashboardMessage, rangeQueryOf, trendMetricsOf, trendsMessage, wireRangeField } from '../mapping/analytics.mapping';
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

  getItemDistribution(_request: recommender.GetItemDistributionRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetItemDistributionRequest, recommender.GetItemDistributionResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented(
        'AnalyticsService.GetItemDistribution',
        'AnalyticsUseCase has no item distribution by dimension (it answers top items by events, and ItemRepository counts items but cannot group them by a field)',
      );
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

  exportData(_request: recommender.ExportDataRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.ExportDataRequest, recommender.ExportDataResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented(
        'AnalyticsService.ExportData',
        'AnalyticsUseCase.export streams the events (REST GET /api/v1/analytics/export), but nothing stores an export file to serve a download_url, file_name and expires_at from',
      );
    });
  }
}

const scenarioOf = (scenarioId: string): { scenario_id?: string } => {
  const present = presentString(scenarioId);
  return present === undefined ? {} : { scenario_id: idOf(present, 'scenario_id') };
};

/** The use cases name the range's ends `from` and `to`; the request names them time_range.start_time / end_time. */
function withWireRangeFields(error: unknown): never {
  if (isDomainError(error) && error.issues.length) {
    const issues = error.issues.map((issue) => ({ ...issue, field: wireRangeField(issue.field) }));
    throw new DomainError(error.code, issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '), issues);
  }
  throw error;
}
