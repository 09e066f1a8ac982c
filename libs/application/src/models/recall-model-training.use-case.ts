import { Injectable } from '@nestjs/common';
import { DomainError, EventStore, VectorIndex, type ModelVersion } from '@lemo/domain';
import {
  buildUserItemMatrix,
  decodeTrainedModel,
  encodeTrainedModel,
  evaluateHoldout,
  factorNamespace,
  isFactorModel,
  holdOutLastItems,
  PopularityTrainer,
  type FactorModel,
  scanScenarioInteractions,
  servableAlgorithm,
  type ServableAlgorithm,
  type TrainingProgress,
} from '@lemo/features';
import { ScenarioLookup } from '../scenarios/scenario-lookup';
import { ModelVersions } from './model-versions';

/** Users whose last item is held out to measure a new version; enough for a stable hit rate, cheap to score. */
const HOLDOUT_USERS = 500;
/** A user's most recent distinct items that training sees (bounds cost, favours current tastes). */
const MAX_HISTORY_PER_USER = 500;
const SCAN_SHARE = 30;
const VECTOR_BATCH = 1000;
const TRAIN_END = 90;

export interface RecallModelTrainingRequest {
  tenant_id: string;
  scenario_id: string;
  algorithm: string;
  params?: Record<string, unknown>;
  /** Serve the new version at once (default true). */
  deploy?: boolean;
  /** The job run training it (`trainingRunOf`): a retried or recovered run finishes the version it recorded instead of adding one. */
  training_run?: string;
}

export interface RecallModelTrainingResult {
  model_id: string;
  version: string;
  metrics: Record<string, number>;
  deployed: boolean;
}

/** The model that holds a scenario's trained versions of one algorithm. */
export function recallModelId(scenarioId: string, algorithm: string): string {
  return `${scenarioId}.${algorithm}`;
}

/**
 * Trains a recall algorithm (als, bpr, ease, ...) on a scenario's events and
 * records a model version with offline metrics: hit rate and NDCG at 10 on
 * each sampled user's held-out last item, next to popularity on the same
 * users, so a version that does not beat the baseline is visible. The
 * artifact goes to the ModelArtifactStore; deploying points the model's
 * `deployed_version` at it, which the model-backed recall strategies follow.
 */
@Injectable()
export class RecallModelTrainingUseCase {
  constructor(
    private readonly events: EventStore,
    private readonly scenarios: ScenarioLookup,
    private readonly versions: ModelVersions,
    private readonly vectors: VectorIndex,
  ) {}

  async train(request: RecallModelTrainingRequest, onProgress?: TrainingProgress): Promise<RecallModelTrainingResult> {
    const algorithm = servableAlgorithm(request.algorithm);
    if (!algorithm) throw DomainError.invalid('algorithm', `unknown recall algorithm '${request.algorithm}'`);
    const { tenant_id: tenantId, scenario_id: scenarioId } = request;
    const scenario = await this.scenarios.require(tenantId, scenarioId);
    const modelId = recallModelId(scenarioId, request.algorithm);
    const deploy = request.deploy ?? true;
    if (request.training_run) {
      const recorded = await this.versions.recordedBy(tenantId, modelId, request.training_run);
      if (recorded) return this.completeRecorded(request, algorithm, modelId, recorded, deploy, onProgress);
    }
    const started = performance.now();

    await onProgress?.(0, 'scan');
    const interactions = await scanScenarioInteractions(this.events, tenantId, scenarioId, { actionWeights: scenario.config.realtime.action_weights }, (fraction) =>
      onProgress?.(Math.floor(SCAN_SHARE * fraction), 'scan'),
    );
    const { users, items } = interactions;
    if (items.size < 2) throw new DomainError('FAILED_PRECONDITION', `scenario '${scenarioId}' has too few positive events to train on (${interactions.log.length})`);
    const holdout = holdOutLastItems(interactions.log, users.size, HOLDOUT_USERS);
    const matrix = buildUserItemMatrix(holdout.train, users.size, items.size, MAX_HISTORY_PER_USER);

    const params = request.params ?? {};
    const trainStarted = performance.now();
    const model = await algorithm.trainer.train(matrix, params, (pct, stage) => onProgress?.(SCAN_SHARE + Math.floor(((TRAIN_END - SCAN_SHARE) * pct) / 100), stage));
    const trainMs = performance.now() - trainStarted;

    await onProgress?.(TRAIN_END, 'evaluate');
    const quality = evaluateHoldout(model, matrix, holdout);
    const baseline = evaluateHoldout(await new PopularityTrainer().train(matrix, {}), matrix, holdout);
    const metrics: Record<string, number> = {
      ...quality,
      popularity_hit_rate_at_10: baseline.hit_rate_at_10,
      popularity_ndcg_at_10: baseline.ndcg_at_10,
      users: users.size,
      items: items.size,
      interactions: holdout.train.length,
      train_seconds: round(trainMs / 1000),
      total_seconds: round((performance.now() - started) / 1000),
    };

    await onProgress?.(95, 'save');
    const version = await this.versions.nextVersion(tenantId, modelId);
    const header = {
      algorithm: request.algorithm,
      item_ids: Array.from({ length: items.size }, (_, i) => items.idAt(i)),
      user_ids: algorithm.hasUserRows ? Array.from({ length: users.size }, (_, u) => users.idAt(u)) : [],
      params,
      metrics,
      trained_at: new Date().toISOString(),
    };
    const bytes = encodeTrainedModel(header, algorithm.codec.encode(model));
    const trained = { tenantId, scenarioId, modelId, modelType: 'recall' as const, algorithm: request.algorithm, params, metrics, bytes, deploy, trainingRun: request.training_run };
    const recorded = await this.versions.record(trained, version);
    // Another run of this job recorded its version while this one trained (its lock had lapsed): that version stands.
    if (!recorded.created) return this.completeRecorded(request, algorithm, modelId, recorded.version, deploy, onProgress);
    if (deploy && isFactorModel(model)) metrics.indexed_item_vectors = await this.indexItemFactors(tenantId, factorNamespace(scenarioId, request.algorithm), model, (i) => items.idAt(i));
    await onProgress?.(100, 'done');
    return { model_id: modelId, version, metrics, deployed: deploy };
  }

  /**
   * Finishes a run that had recorded its version before it was cut short (its
   * worker died, or a later step failed and the job was retried): no new
   * version, and the item factors indexed are the recorded artifact's, so the
   * vectors always match the user factors of the version being served.
   */
  private async completeRecorded(
    request: RecallModelTrainingRequest,
    algorithm: ServableAlgorithm,
    modelId: string,
    recorded: ModelVersion,
    deploy: boolean,
    onProgress?: TrainingProgress,
  ): Promise<RecallModelTrainingResult> {
    await onProgress?.(95, 'save');
    const metrics = { ...recorded.metrics };
    const bytes = deploy ? await this.versions.artifactOf(request.tenant_id, recorded) : null;
    if (bytes) {
      const { header, model: encoded } = decodeTrainedModel(bytes);
      const model = algorithm.codec.decode(encoded);
      if (isFactorModel(model)) {
        metrics.indexed_item_vectors = await this.indexItemFactors(request.tenant_id, factorNamespace(request.scenario_id, request.algorithm), model, (i) => header.item_ids[i]);
      }
    }
    await onProgress?.(100, 'done');
    return { model_id: modelId, version: recorded.version, metrics, deployed: deploy };
  }

  /**
   * Puts the item factors into the vector index for the `embedding` strategy's
   * ANN search, when they have the index's dimension (0 vectors otherwise:
   * train with `factors` equal to VECTOR_DIMENSION to use it).
   */
  private async indexItemFactors(tenantId: string, namespace: string, model: FactorModel, itemIdAt: (index: number) => string): Promise<number> {
    const k = model.factors;
    if (k !== this.vectors.dimension) return 0;
    for (let start = 0; start < model.items; start += VECTOR_BATCH) {
      const end = Math.min(model.items, start + VECTOR_BATCH);
      const entries = [];
      for (let i = start; i < end; i++) entries.push({ id: itemIdAt(i), vector: model.itemFactors.subarray(i * k, (i + 1) * k) });
      await this.vectors.upsert(tenantId, namespace, entries);
    }
    return model.items;
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
