import { Controller } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { EngineStagesUseCase, multiRecallRequestSchema, rankRequestSchema, rerankRequestSchema, type ScoredItemId } from '@lemo/application';
import { parseOrThrow } from '@lemo/domain';
import { HealthService } from '@lemo/runtime';
import { recommender, recommenderCommon } from '@lemo/contracts';
import { GrpcCalls } from '../call/grpc-calls';
import { GrpcService, type UnaryHandlers } from '../grpc-service.decorator';
import { healthMessage } from '../mapping/health.mapping';
import { decimalOfFloat, presentNumber, presentString } from '../mapping/proto-values';

/*
 * The engine's stages as services of their own, on EngineStagesUseCase: each runs the code a
 * recommendation runs, on the scenario's config as the user is served it (their experiment
 * variant's, when one runs). `debug_info` tells which experiment that was and what was left out.
 */

/**
 * lemo.recommender.v1.RecallService. `strategies` replaces the scenario's (each: a registered name,
 * `weight` (unset: 1), `limit` (unset: 200), `params`); `filters` takes GetRecommendations' filter
 * object. Answers the merged candidates, best first, as serving would hand them to ranking.
 */
@Controller()
@GrpcService('RecallService', recommender.RecallServiceService)
export class RecallGrpcController implements UnaryHandlers<recommender.RecallServiceServer> {
  constructor(
    private readonly calls: GrpcCalls,
    private readonly stages: EngineStagesUseCase,
    private readonly health: HealthService,
  ) {}

  multiRecall(request: recommender.MultiRecallRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.MultiRecallRequest, recommender.MultiRecallResponse>) {
    return this.calls.forTenant(call, 'read', request.tenant_id, async (tenantId) => {
      const input = parseOrThrow(multiRecallRequestSchema, {
        scenario_id: request.scenario_id,
        user_id: presentString(request.user_id),
        strategies: request.strategies.length
          ? request.strategies.map((strategy) => ({
              name: strategy.name,
              weight: strategy.weight === 0 ? undefined : decimalOfFloat(strategy.weight),
              limit: presentNumber(strategy.limit),
              params: strategy.params ?? {},
            }))
          : undefined,
        filters: request.filters,
      });
      const { candidates, debug } = await this.stages.multiRecall(tenantId, input);
      return recommender.MultiRecallResponse.fromPartial({
        item_ids: candidates.map((candidate) => candidate.item_id),
        count: candidates.length,
        candidates: candidates.map((candidate) => ({
          item_id: candidate.item_id,
          score: Math.round(candidate.score * 1e6) / 1e6,
          strategy: candidate.strategy,
          strategies: candidate.strategies ?? [candidate.strategy],
          reason: candidate.reason,
          source_item_id: candidate.source_item_id ?? '',
        })),
        debug_info: debug,
      });
    });
  }

  healthCheck(_request: recommenderCommon.HealthCheckRequest, _metadata: Metadata, call: ServerUnaryCall<recommenderCommon.HealthCheckRequest, recommenderCommon.HealthCheckResponse>) {
    return this.calls.run(call, 'read', async () => healthMessage(await this.health.readiness()));
  }
}

/**
 * lemo.recommender.v1.RankingService. `ranker` names a registered ranker (rule, lr, fm, deepfm,
 * wide_deep) instead of the scenario's `rank.model`; `debug_info.ranker` is the one that ranked.
 */
@Controller()
@GrpcService('RankingService', recommender.RankingServiceService)
export class RankingGrpcController implements UnaryHandlers<recommender.RankingServiceServer> {
  constructor(
    private readonly calls: GrpcCalls,
    private readonly stages: EngineStagesUseCase,
    private readonly health: HealthService,
  ) {}

  rank(request: recommender.RankRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.RankRequest, recommender.RankResponse>) {
    return this.calls.forTenant(call, 'read', request.tenant_id, async (tenantId) => {
      const input = parseOrThrow(rankRequestSchema, {
        scenario_id: request.scenario_id,
        user_id: presentString(request.user_id),
        item_ids: request.item_ids,
        ranker: presentString(request.ranker),
      });
      const { ranked, debug } = await this.stages.rank(tenantId, input);
      return recommender.RankResponse.fromPartial({ ranked_items: ranked.map(scoredItem), count: ranked.length, debug_info: debug });
    });
  }

  healthCheck(_request: recommenderCommon.HealthCheckRequest, _metadata: Metadata, call: ServerUnaryCall<recommenderCommon.HealthCheckRequest, recommenderCommon.HealthCheckResponse>) {
    return this.calls.run(call, 'read', async () => healthMessage(await this.health.readiness()));
  }
}

/**
 * lemo.recommender.v1.RerankingService. `rules` add to the scenario's rerank section: `diversity`
 * and `freshness` merge their params over its sections of that name, `pin` / `boost` / `bury` /
 * `filter` are business rules (params: item_ids, condition, factor, position) applied after its own.
 */
@Controller()
@GrpcService('RerankingService', recommender.RerankingServiceService)
export class RerankingGrpcController implements UnaryHandlers<recommender.RerankingServiceServer> {
  constructor(
    private readonly calls: GrpcCalls,
    private readonly stages: EngineStagesUseCase,
    private readonly health: HealthService,
  ) {}

  rerank(request: recommender.RerankRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.RerankRequest, recommender.RerankResponse>) {
    return this.calls.forTenant(call, 'read', request.tenant_id, async (tenantId) => {
      const input = parseOrThrow(rerankRequestSchema, {
        scenario_id: request.scenario_id,
        user_id: presentString(request.user_id),
        ranked_items: request.ranked_items.map((entry) => ({ item_id: entry.item_id, score: entry.score })),
        rules: request.rules.map((rule) => ({ name: rule.name, params: rule.params ?? {} })),
      });
      const { reranked, debug } = await this.stages.rerank(tenantId, input);
      return recommender.RerankResponse.fromPartial({ reranked_items: reranked.map(scoredItem), count: reranked.length, debug_info: debug });
    });
  }

  healthCheck(_request: recommenderCommon.HealthCheckRequest, _metadata: Metadata, call: ServerUnaryCall<recommenderCommon.HealthCheckRequest, recommenderCommon.HealthCheckResponse>) {
    return this.calls.run(call, 'read', async () => healthMessage(await this.health.readiness()));
  }
}

const scoredItem = (entry: ScoredItemId): recommender.ScoredItem => ({ item_id: entry.item_id, score: entry.score });
