import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  DomainError,
  type BatchPredictRequest,
  type BatchPredictResponse,
  type LoadedModelInfo,
  type PredictContext,
  type PredictRequest,
  type PredictResponse,
} from '@lemo/domain';
import { ServedRankers, type RankerLease, type RankingItem, type ScoringContext, type ServedRankerInfo, type ServedRankerRef } from '@lemo/ranking';
import { ModelServingMetrics } from './model-serving.metrics';

type Scored = PredictRequest['candidates'];

/**
 * The model-server's operations: scores candidate lists with a tenant's
 * learned ranker (the deployed version unless one is named), one list or a
 * batch, and loads, lists and unloads versions. Every call runs on one
 * version from start to end, even when a deployment swaps it meanwhile.
 */
@Injectable()
export class ModelServingUseCase implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly pool: ServedRankers,
    private readonly metrics: ModelServingMetrics,
  ) {}

  onModuleInit(): void {
    this.pool.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.stop();
  }

  async predict(tenantId: string, scenarioId: string, model: string, request: PredictRequest): Promise<PredictResponse> {
    return this.scored(tenantId, scenarioId, model, request.version, 'single', request.candidates.length, (lease) => {
      const scores = lease.ranker.score(scoringContext(request.context), request.candidates.map(rankingItem));
      return { ...wireRef(lease.ref), scores };
    });
  }

  async batchPredict(tenantId: string, scenarioId: string, model: string, request: BatchPredictRequest): Promise<BatchPredictResponse> {
    const candidates = request.requests.reduce((sum, list) => sum + list.candidates.length, 0);
    return this.scored(tenantId, scenarioId, model, request.version, 'batch', candidates, (lease) => {
      const lists = request.requests.map((list) => ({ context: scoringContext(list.context), items: list.candidates.map(rankingItem) }));
      return { ...wireRef(lease.ref), results: lease.ranker.scoreMany(lists).map((scores) => ({ scores })) };
    });
  }

  list(tenantId?: string): LoadedModelInfo[] {
    return this.pool.list(tenantId).map(wireInfo);
  }

  async load(tenantId: string, scenarioId: string, model: string, version?: string): Promise<LoadedModelInfo> {
    return wireInfo(await this.pool.load(tenantId, scenarioId, model, version));
  }

  unload(tenantId: string, scenarioId: string, model: string, version: string): void {
    if (!this.pool.unload(tenantId, scenarioId, model, version)) throw new DomainError('NOT_FOUND', `version '${version}' of model '${scenarioId}.${model}' is not loaded`);
  }

  private async scored<T>(
    tenantId: string,
    scenarioId: string,
    model: string,
    version: string | undefined,
    kind: 'single' | 'batch',
    candidates: number,
    score: (lease: RankerLease) => T,
  ): Promise<T> {
    const stop = this.metrics.latency.startTimer({ kind });
    let lease: RankerLease;
    try {
      lease = await this.pool.acquire(tenantId, scenarioId, model, version);
    } catch (error) {
      this.metrics.failures.inc({ code: error instanceof DomainError ? error.code : 'INTERNAL' });
      throw error;
    }
    try {
      const answer = score(lease);
      this.metrics.predictions.inc({ model: lease.ref.kind, kind });
      this.metrics.candidates.observe({ kind }, candidates);
      return answer;
    } finally {
      lease.release();
      stop();
    }
  }
}

function scoringContext(context: PredictContext): ScoringContext {
  return { userId: context.user_id, now: context.timestamp ?? Date.now(), deviceType: context.device_type, topCategory: context.top_category, activity: context.activity };
}

function rankingItem(candidate: Scored[number]): RankingItem {
  return { itemId: candidate.item_id, category: candidate.category, tags: candidate.tags, publishedAt: candidate.published_at, popularity: candidate.popularity };
}

function wireRef(ref: ServedRankerRef) {
  return { tenant_id: ref.tenantId, scenario_id: ref.scenarioId, model: ref.kind, version: ref.version };
}

function wireInfo(info: ServedRankerInfo): LoadedModelInfo {
  return { ...wireRef(info), deployed: info.deployed, loaded_at: info.loadedAt.toISOString(), requests_served: info.requestsServed, in_flight: info.inFlight };
}
