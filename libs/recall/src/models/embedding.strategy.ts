import { Injectable } from '@nestjs/common';
import { VectorIndex, type RecallStrategyConfig } from '@lemo/domain';
import { factorNamespace, isFactorModel, type UserContext } from '@lemo/features';
import type { Candidate } from '../candidate';
import { RecallStrategy } from '../recall-strategy';
import { historyIn } from './model-recall.strategy';
import { TrainedRecallModels, type LoadedRecallModel } from './trained-recall-models';
import { UserVectors } from './user-vectors';

const FACTOR_ALGORITHMS = new Set(['als', 'bpr']);

/**
 * The factor model an `embedding` strategy searches with: `params.model` when
 * it names one (als, bpr), else als. The training schedule and the profile job
 * use the same rule, so user vectors land in the namespace serving reads.
 */
export function embeddingAlgorithm(params: Readonly<Record<string, unknown>>): string {
  return typeof params.model === 'string' && FACTOR_ALGORITHMS.has(params.model) ? params.model : 'als';
}
const REASON = 'close to your tastes';

/**
 * Embedding ANN recall: the user's vector from a deployed factor model
 * (`params.model`: als, the default, or bpr) — their trained row, or folded
 * in from recent interactions — searched in the VectorIndex among the item
 * factors the training job indexed. Unlike the `als` strategy, which scores
 * every item in memory, the search is approximate and runs where the vectors
 * live (HNSW or Milvus), so it scales to catalogues too big to scan per request.
 */
@Injectable()
export class EmbeddingRecall extends RecallStrategy {
  readonly name = 'embedding';

  constructor(
    private readonly models: TrainedRecallModels,
    private readonly vectors: VectorIndex,
    private readonly userVectors: UserVectors,
  ) {
    super();
  }

  async recall(ctx: UserContext, config: RecallStrategyConfig, exclude: ReadonlySet<string>): Promise<Candidate[]> {
    const algorithm = embeddingAlgorithm(config.params);
    if (ctx.userId === null && ctx.recent.length === 0) return [];
    const loaded = await this.models.get(ctx.tenantId, ctx.scenarioId, algorithm, ctx.now);
    if (!loaded || !isFactorModel(loaded.model) || loaded.model.factors !== this.vectors.dimension) return [];
    const model = loaded.model;
    const user = ctx.userId === null ? -1 : (loaded.userIndex.get(ctx.userId) ?? -1);
    const history = historyIn(loaded, ctx);
    const stored = await this.storedVector(ctx, algorithm, loaded);
    if (stored === null && user === -1 && history.items.length === 0) return [];
    const query = stored ?? (user >= 0 ? model.userFactors.subarray(user * model.factors, (user + 1) * model.factors) : model.foldIn(history));
    const skip = new Set(exclude);
    for (const item of history.items) skip.add(loaded.itemIds[item]);
    const hits = await this.vectors.search(ctx.tenantId, factorNamespace(ctx.scenarioId, algorithm), query, config.limit, skip);
    const best = hits[0]?.score ?? 0;
    if (!(best > 0)) return [];
    return hits.filter((hit) => hit.score > 0).map((hit) => ({ item_id: hit.id, score: hit.score / best, strategy: this.name, reason: REASON }));
  }

  /** The profile job's vector of the user, if it is in this model's space and no interaction of the scenario is newer; a failed read is no vector. */
  private async storedVector(ctx: UserContext, algorithm: string, loaded: LoadedRecallModel): Promise<Float32Array | null> {
    if (ctx.userId === null) return null;
    const stored = await this.userVectors.get(ctx.tenantId, ctx.userId, ctx.scenarioId).catch(() => null);
    if (!stored || stored.namespace !== factorNamespace(ctx.scenarioId, algorithm) || stored.model_version !== loaded.version) return null;
    if (stored.vector.length !== this.vectors.dimension) return null;
    const newest = ctx.recent.reduce((max, r) => (r.scenario_id === ctx.scenarioId ? Math.max(max, r.timestamp) : max), Number.NEGATIVE_INFINITY);
    return newest > stored.last_event_at ? null : Float32Array.from(stored.vector);
  }
}
