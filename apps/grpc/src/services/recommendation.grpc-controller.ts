import { Controller } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { RecommendUseCase, recommendRequestSchema, type RecommendResponse } from '@lemo/application';
import { parseOrThrow } from '@lemo/domain';
import { HealthService } from '@lemo/runtime';
import { recommender, recommenderCommon } from '@lemo/contracts';
import { GrpcCalls } from '../call/grpc-calls';
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
