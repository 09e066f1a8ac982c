import { Injectable } from '@nestjs/common';
import { DomainError, EventStore, ModelArtifactStore, ModelRepository, VectorIndex, type Model, type ModelVersion } from '@lemo/domain';
import {
  buildUserItemMatrix,
  encodeTrainedModel,
  evaluateHoldout,
  factorNamespace,
  isFactorModel,
  holdOutLastItems,
  PopularityTrainer,
  type FactorModel,
  type IdInterner,
  scanScenarioInteractions,
  servableAlgorithm,
  type TrainingProgress,
} from '@lemo/features';
import { ScenarioLookup } from '../scenarios/scenario-lookup';

/** Users whose last item is held out to measure a new version; enough for a stable hit rate, cheap to score. */
const HOLDOUT_USERS = 500;
/** A user's most recent distinct items that training sees (bounds cost, favours current tastes). */
const MAX_HISTORY_PER_USER = 500;
/** Artifacts of older versions beyond this many are deleted; their version records stay. */
const KEEP_ARTIFACTS = 3;
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

export function recallArtifactKey(modelId: string, version: string): string {
  return `recall/${modelId}/${version}`;
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
    private readonly models: ModelRepository,
    private readonly artifacts: ModelArtifactStore,
    private readonly scenarios: ScenarioLookup,
    private readonly vectors: VectorIndex,
  ) {}

  async train(request: RecallModelTrainingRequest, onProgress?: TrainingProgress): Promise<RecallModelTrainingResult> {
    const algorithm = servableAlgorithm(request.algorithm);
    if (!algorithm) throw DomainError.invalid('algorithm', `unknown recall algorithm '${request.algorithm}'`);
    const { tenant_id: tenantId, scenario_id: scenarioId } = request;
    const scenario = await this.scenarios.require(tenantId, scenarioId);
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
    const modelId = recallModelId(scenarioId, request.algorithm);
    const existing = await this.models.get(tenantId, modelId);
    const version = `v${(existing?.versions.length ?? 0) + 1}`;
    const header = {
      algorithm: request.algorithm,
      item_ids: Array.from({ length: items.size }, (_, i) => items.idAt(i)),
      user_ids: algorithm.hasUserRows ? Array.from({ length: users.size }, (_, u) => users.idAt(u)) : [],
      params,
      metrics,
      trained_at: new Date().toISOString(),
    };
    const key = recallArtifactKey(modelId, version);
    await this.artifacts.put(tenantId, key, encodeTrainedModel(header, algorithm.codec.encode(model)));
    const deploy = request.deploy ?? true;
    await this.recordVersion(existing, { tenantId, scenarioId, modelId, algorithm: request.algorithm, params }, {
      version,
      status: deploy ? 'deployed' : 'trained',
      metrics,
      artifact_uri: key,
      trained_at: header.trained_at,
      created_at: header.trained_at,
    });
    await this.pruneArtifacts(tenantId, modelId);
    if (deploy && isFactorModel(model)) metrics.indexed_item_vectors = await this.indexItemFactors(tenantId, factorNamespace(scenarioId, request.algorithm), model, items);
    await onProgress?.(100, 'done');
    return { model_id: modelId, version, metrics, deployed: deploy };
  }

  private async recordVersion(
    existing: Model | null,
    ids: { tenantId: string; scenarioId: string; modelId: string; algorithm: string; params: Record<string, unknown> },
    added: ModelVersion,
  ): Promise<void> {
    const now = added.created_at;
    const deployed = added.status === 'deployed';
    if (!existing) {
      await this.models.create({
        tenant_id: ids.tenantId,
        model_id: ids.modelId,
        name: `${ids.algorithm} recall for ${ids.scenarioId}`,
        model_type: 'recall',
        algorithm: ids.algorithm,
        scenario_id: ids.scenarioId,
        description: `Trained by the recall training job on the events of scenario '${ids.scenarioId}'.`,
        config: ids.params,
        status: added.status,
        versions: [added],
        deployed_version: deployed ? added.version : null,
        created_at: now,
        updated_at: now,
      });
      return;
    }
    // The version that served until now stays available to deploy again.
    const versions = existing.versions.map((v) => (deployed && v.status === 'deployed' ? { ...v, status: 'trained' as const } : v));
    await this.models.update({
      ...existing,
      config: ids.params,
      status: deployed ? 'deployed' : existing.status === 'deployed' ? 'deployed' : 'trained',
      versions: [...versions, added],
      deployed_version: deployed ? added.version : existing.deployed_version,
      updated_at: now,
    });
  }

  /**
   * Puts the item factors into the vector index for the `embedding` strategy's
   * ANN search, when they have the index's dimension (0 vectors otherwise:
   * train with `factors` equal to VECTOR_DIMENSION to use it).
   */
  private async indexItemFactors(tenantId: string, namespace: string, model: FactorModel, items: IdInterner): Promise<number> {
    const k = model.factors;
    if (k !== this.vectors.dimension) return 0;
    for (let start = 0; start < model.items; start += VECTOR_BATCH) {
      const end = Math.min(model.items, start + VECTOR_BATCH);
      const entries = [];
      for (let i = start; i < end; i++) entries.push({ id: items.idAt(i), vector: model.itemFactors.subarray(i * k, (i + 1) * k) });
      await this.vectors.upsert(tenantId, namespace, entries);
    }
    return model.items;
  }

  /** Deletes the artifacts of all but the newest few versions, never the deployed one. */
  private async pruneArtifacts(tenantId: string, modelId: string): Promise<void> {
    const model = await this.models.get(tenantId, modelId);
    if (!model) return;
    const keep = new Set(model.versions.slice(-KEEP_ARTIFACTS).map((v) => v.artifact_uri));
    if (model.deployed_version) keep.add(recallArtifactKey(modelId, model.deployed_version));
    for (const artifact of await this.artifacts.list(tenantId, `recall/${modelId}/`)) {
      if (!keep.has(artifact.key)) await this.artifacts.delete(tenantId, artifact.key);
    }
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
