import { Controller } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { RecommendUseCase, recommendRequestSchema, type RecommendResponse } from '@lemo/application';
import { parseOrThrow } from '@lemo/domain';
import { HealthService } from '@lemo/runtime';
import { recommender, recommenderCommon } from '@lemo/contracts';
import { GrpcCalls } from '../call/grpc-calls';
import { GrpcStatusError } from '../call/grpc-status-error';
import { GrpcService, type UnaryHandlers } from '../grpc-service.decorator';
import { healthMessage } from '../mapping/health.mapping';
import { presentNumber, presentString } from '../mapping/proto-values';

/** lemo.recommender.v1.RecommendationService on RecommendUseCase (REST's POST /recommend). */
@Controller()
@GrpcService('RecommendationService', recommender.RecommendationServiceService)
export class RecommendationGrpcController implements UnaryHandlers<recommender.RecommendationServiceServer> {
  constructor(
    private readonly calls: GrpcCalls,
    private readonly recommendations: RecommendUseCase,
    private readonly health: HealthService,
  ) {}

  /**
   * `filters` takes REST's filter object (exclude_ids, categories, exclude_categories, conditions);
   * without a user_id the visitor is anonymous (popular and latest only). `debug_info` is filled
   * only when `debug` is set.
   */
  getRecommendations(
    request: recommender.GetRecommendationsRequest,
    _metadata: Metadata,
    call: ServerUnaryCall<recommender.GetRecommendationsRequest, recommender.GetRecommendationsResponse>,
  ) {
    return this.calls.run(call, 'read', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const input = parseOrThrow(recommendRequestSchema, {
        scenario_id: request.scenario_id,
        user_id: presentString(request.user_id),
        count: presentNumber(request.count),
        filters: request.filters,
        debug: request.debug,
      });
      const response = await this.recommendations.recommend(tenantId, input);
      return recommender.GetRecommendationsResponse.fromPartial({
        items: response.items.map((item) => ({ item_id: item.item_id, score: item.score, metadata: item.metadata })),
        count: response.count,
        request_id: response.request_id,
        debug_info: request.debug ? debugInfoOf(response) : undefined,
      });
    });
  }

  healthCheck(_request: recommenderCommon.HealthCheckRequest, _metadata: Metadata, call: ServerUnaryCall<recommenderCommon.HealthCheckRequest, recommenderCommon.HealthCheckResponse>) {
    return this.calls.run(call, 'read', async () => healthMessage(await this.health.readiness()));
  }
}

/** What REST returns beside the items: timings, recall figures, and each item's strategy and reason. */
function debugInfoOf(response: RecommendResponse): Record<string, unknown> {
  return {
    ...response.debug,
    from_cache: response.from_cache,
    next_cursor: response.next_cursor,
    experiment_id: response.experiment_id,
    variant_id: response.variant_id,
    items: response.items.map((item) => ({ item_id: item.item_id, position: item.position, strategy: item.strategy, reason: item.reason })),
  };
}

/**
 * The standalone engine stages. Each runs inside RecommendUseCase today, but no use case runs one
 * on its own for a caller, so the RPCs answer UNIMPLEMENTED (their health checks work).
 */
@Controller()
@GrpcService('RecallService', recommender.RecallServiceService)
export class RecallGrpcController implements UnaryHandlers<recommender.RecallServiceServer> {
  constructor(
    private readonly calls: GrpcCalls,
    private readonly health: HealthService,
  ) {}

  multiRecall(_request: recommender.MultiRecallRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.MultiRecallRequest, recommender.MultiRecallResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('RecallService.MultiRecall', 'RecallService.recall needs the UserContext and exclusion set (recent interactions, seen and disliked items, recent impressions) that RecommendUseCase builds privately; rebuilding them here would fork the serving path, and `filters` apply to loaded items after recall, which RecallService does not do (needs a recall use case in libs/application)');
    });
  }

  healthCheck(_request: recommenderCommon.HealthCheckRequest, _metadata: Metadata, call: ServerUnaryCall<recommenderCommon.HealthCheckRequest, recommenderCommon.HealthCheckResponse>) {
    return this.calls.run(call, 'read', async () => healthMessage(await this.health.readiness()));
  }
}

@Controller()
@GrpcService('RankingService', recommender.RankingServiceService)
export class RankingGrpcController implements UnaryHandlers<recommender.RankingServiceServer> {
  constructor(
    private readonly calls: GrpcCalls,
    private readonly health: HealthService,
  ) {}

  rank(_request: recommender.RankRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.RankRequest, recommender.RankResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('RankingService.Rank', 'Ranker.rank takes recall Candidates (recall score, strategy, source item) and a RankContext with hot scores; RankRequest carries bare item_ids, so ranking them would feed the rankers made-up recall scores (needs a ranking use case in libs/application that defines them)');
    });
  }

  healthCheck(_request: recommenderCommon.HealthCheckRequest, _metadata: Metadata, call: ServerUnaryCall<recommenderCommon.HealthCheckRequest, recommenderCommon.HealthCheckResponse>) {
    return this.calls.run(call, 'read', async () => healthMessage(await this.health.readiness()));
  }
}

@Controller()
@GrpcService('RerankingService', recommender.RerankingServiceService)
export class RerankingGrpcController implements UnaryHandlers<recommender.RerankingServiceServer> {
  constructor(
    private readonly calls: GrpcCalls,
    private readonly health: HealthService,
  ) {}

  rerank(_request: recommender.RerankRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.RerankRequest, recommender.RerankResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('RerankingService.Rerank', 'Reranker.rerank applies the scenario config\'s rerank section (business rules, freshness, diversity) to loaded items; RerankRequest names free-form rules {name, params} that have no counterpart in that config (needs a rerank use case in libs/application that defines them)');
    });
  }

  healthCheck(_request: recommenderCommon.HealthCheckRequest, _metadata: Metadata, call: ServerUnaryCall<recommenderCommon.HealthCheckRequest, recommenderCommon.HealthCheckResponse>) {
    return this.calls.run(call, 'read', async () => healthMessage(await this.health.readiness()));
  }
}
