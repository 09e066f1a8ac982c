import { Injectable } from '@nestjs/common';
import { DomainError, EventStore, ItemRepository } from '@lemo/domain';
import { type TrainingProgress } from '@lemo/features';
import { isModelKind, rankingItemFromItem, trainRanker, type ModelKind, type RankingItem, type TrainingEvent } from '@lemo/ranking';
import { ScenarioLookup } from '../scenarios/scenario-lookup';
import { ModelVersions } from './model-versions';

const SCAN_BATCH_SIZE = 5000;
const ITEM_BATCH_SIZE = 1000;
/** The most recent events a ranker trains on: bounds memory (each is an object here) and favours current behaviour. */
const MAX_TRAINING_EVENTS = 1_000_000;

export interface RankerTrainingRequest {
  tenant_id: string;
  scenario_id: string;
  /** lr, fm, deepfm or wide_deep. */
  algorithm: string;
  params?: Record<string, unknown>;
  deploy?: boolean;
  /** The job run training it (`trainingRunOf`): a retried or recovered run returns the version it recorded instead of adding one. */
  training_run?: string;
}

export interface RankerTrainingResult {
  model_id: string;
  version: string;
  metrics: Record<string, number>;
  deployed: boolean;
}

/** The model that holds a scenario's trained versions of one ranker kind. */
export function rankerModelId(scenarioId: string, kind: string): string {
  return `${scenarioId}.${kind}`;
}

/**
 * Trains a learned ranker (LR, FM, DeepFM, Wide&Deep) on a scenario's events
 * and item metadata, with the logistic-regression baseline beside it on the
 * same held-out latest events (AUC and log loss of both are the version's
 * metrics), and records the version like every training job. A scenario
 * serves it once `config.rank.model` names the kind.
 */
@Injectable()
export class RankerTrainingUseCase {
  constructor(
    private readonly events: EventStore,
    private readonly items: ItemRepository,
    private readonly scenarios: ScenarioLookup,
    private readonly versions: ModelVersions,
  ) {}

  async train(request: RankerTrainingRequest, onProgress?: TrainingProgress): Promise<RankerTrainingResult> {
    if (!isModelKind(request.algorithm)) throw DomainError.invalid('algorithm', `unknown ranker '${request.algorithm}'`);
    const kind: ModelKind = request.algorithm;
    const { tenant_id: tenantId, scenario_id: scenarioId } = request;
    await this.scenarios.require(tenantId, scenarioId);
    const modelId = rankerModelId(scenarioId, kind);
    const deploy = request.deploy ?? true;
    if (request.training_run) {
      const recorded = await this.versions.recordedBy(tenantId, modelId, request.training_run);
      if (recorded) return { model_id: modelId, version: recorded.version, metrics: { ...recorded.metrics }, deployed: deploy };
    }
    await onProgress?.(0, 'scan');
    const events = await this.recentEvents(tenantId, scenarioId);
    await onProgress?.(10, 'items');
    const items = await this.itemsOf(tenantId, scenarioId, events);

    let trained;
    try {
      trained = await trainRanker(events, items, { kind }, async (progress) => {
        if (progress.stage === 'epoch') await onProgress?.(15 + Math.floor((75 * progress.epoch) / Math.max(1, progress.epochs)), `train ${progress.kind}`);
      });
    } catch (error) {
      // Too little data is the tenant's situation, not a fault of the job.
      if (error instanceof Error && error.message.startsWith('not enough events')) throw new DomainError('FAILED_PRECONDITION', error.message);
      throw error;
    }
    await onProgress?.(95, 'save');
    const version = await this.versions.nextVersion(tenantId, modelId);
    const bytes = trained.ranker.serialize();
    trained.ranker.dispose();
    const metrics = { ...trained.metrics };
    const recorded = await this.versions.record(
      { tenantId, scenarioId, modelId, modelType: 'rank', algorithm: kind, params: request.params ?? {}, metrics, bytes, deploy, trainingRun: request.training_run },
      version,
    );
    await onProgress?.(100, 'done');
    return { model_id: modelId, version: recorded.version.version, metrics: { ...recorded.version.metrics }, deployed: deploy };
  }

  /** The scenario's latest MAX_TRAINING_EVENTS events, oldest first (scan order is time order). */
  private async recentEvents(tenantId: string, scenarioId: string): Promise<TrainingEvent[]> {
    const kept: TrainingEvent[] = [];
    for await (const batch of this.events.scan(tenantId, scenarioId, { batchSize: SCAN_BATCH_SIZE })) {
      for (const event of batch) {
        kept.push({ user_id: event.user_id, item_id: event.item_id, action_type: event.action_type, timestamp: event.timestamp, context: { device_type: event.context?.device_type } });
      }
      if (kept.length > 2 * MAX_TRAINING_EVENTS) kept.splice(0, kept.length - MAX_TRAINING_EVENTS);
    }
    return kept.length > MAX_TRAINING_EVENTS ? kept.slice(-MAX_TRAINING_EVENTS) : kept;
  }

  private async itemsOf(tenantId: string, scenarioId: string, events: readonly TrainingEvent[]): Promise<RankingItem[]> {
    const ids = [...new Set(events.map((event) => event.item_id))];
    const items: RankingItem[] = [];
    for (let start = 0; start < ids.length; start += ITEM_BATCH_SIZE) {
      for (const item of await this.items.getMany(tenantId, scenarioId, ids.slice(start, start + ITEM_BATCH_SIZE))) items.push(rankingItemFromItem(item));
    }
    return items;
  }
}
