import { defaultFeatureSchema, type SparseFieldName } from './feature-schema';
import { FeatureEncoder } from './feature-encoder';
import { LearnedRanker } from './learned-ranker';
import { logLoss, rocAuc } from './metrics';
import { fitModel, type EpochProgress, type FitOptions, type LabelledBatch } from './model-trainer';
import { buildRankingModel } from './models/build-model';
import type { ModelHyperparameters, ModelKind } from './models/ranking-model';
import type { LabelledExample, RankingItem } from './ranking-example';
import { loadTensorflow, type BackendLogger } from './tensorflow-backend';
import { buildTrainingData, type TrainingData, type TrainingDataOptions, type TrainingEvent } from './training-data';

export const DEFAULT_FIT_OPTIONS: FitOptions = { epochs: 20, batchSize: 512, learningRate: 0.01, l2: 1e-5, patience: 3, seed: 7 };
export const DEFAULT_HYPERPARAMETERS: ModelHyperparameters = { embeddingDim: 8, hidden: [64, 32], seed: 7 };

export interface ModelTrainingOptions {
  fit?: Partial<FitOptions>;
  hyperparameters?: Partial<ModelHyperparameters>;
  /** Sparse fields to use; all of SPARSE_FIELD_NAMES by default. */
  fields?: readonly SparseFieldName[];
  /** Hash buckets per field, overriding the defaults (a larger tenant wants more user and item buckets). */
  buckets?: Partial<Record<SparseFieldName, number>>;
  /** Registry version written into the artifact; the training time by default. */
  version?: string;
  logger?: BackendLogger;
}

export type TrainingProgress =
  | { stage: 'data'; train: number; validation: number; test: number; negativesFrom: TrainingData['negativesFrom'] }
  | ({ stage: 'epoch' } & EpochProgress)
  | { stage: 'evaluated'; kind: ModelKind; auc: number; logloss: number; trainMs: number };

export type ProgressListener = (progress: TrainingProgress) => void | Promise<void>;

export interface TrainedModel {
  ranker: LearnedRanker;
  /** On the held-out (latest) examples. */
  auc: number;
  logloss: number;
  trainMs: number;
  epochs: number;
}

function labelled(encoder: FeatureEncoder, examples: readonly LabelledExample[]): LabelledBatch {
  return { ...encoder.encode(examples), labels: Float32Array.from(examples, (e) => e.label) };
}

/**
 * Trains one model kind on already built training data and evaluates it on
 * the held-out slice; the evaluation report trains every kind on one
 * TrainingData so they see identical examples.
 */
export async function trainModelOnData(data: TrainingData, kind: ModelKind, options: ModelTrainingOptions = {}, onProgress?: ProgressListener): Promise<TrainedModel> {
  const { tf } = await loadTensorflow({ logger: options.logger });
  const schema = { ...defaultFeatureSchema(options.fields, options.buckets), scales: data.scales };
  const encoder = new FeatureEncoder(schema);
  const hyperparameters = { ...DEFAULT_HYPERPARAMETERS, ...options.hyperparameters };
  const fit = { ...DEFAULT_FIT_OPTIONS, ...options.fit };
  const dims = { vocabularySize: encoder.vocabularySize, slotCount: encoder.slotCount, denseSize: encoder.denseSize };

  const started = Date.now();
  const model = buildRankingModel(tf, kind, dims, hyperparameters);
  const result = await fitModel(tf, model, { train: labelled(encoder, data.train), validation: labelled(encoder, data.validation), ...dims }, fit, (epoch) =>
    onProgress?.({ stage: 'epoch', ...epoch }),
  );
  const trainMs = Date.now() - started;

  const ranker = new LearnedRanker(tf, model, {
    format: 'lemo-learned-ranker',
    formatVersion: 1,
    modelKind: kind,
    version: options.version ?? new Date().toISOString(),
    trainedAt: new Date().toISOString(),
    schema,
    hyperparameters,
    statistics: data.statistics,
    metrics: {},
  });
  const labels = Float32Array.from(data.test, (e) => e.label);
  const probabilities = ranker.predict(data.test);
  const auc = rocAuc(labels, probabilities);
  const logloss = logLoss(labels, probabilities);
  Object.assign(ranker.header.metrics, { auc, logloss, validation_auc: result.validationAuc, epochs: result.epochsRun, train_ms: trainMs });
  await onProgress?.({ stage: 'evaluated', kind, auc, logloss, trainMs });
  return { ranker, auc, logloss, trainMs, epochs: result.epochsRun };
}

export interface TrainRankerOptions extends ModelTrainingOptions {
  /** deepfm by default. */
  kind?: ModelKind;
  data?: Partial<TrainingDataOptions>;
}

export interface RankerMetrics extends Record<string, number> {
  auc: number;
  logloss: number;
  /** The logistic-regression baseline on the same examples and features. */
  baseline_auc: number;
  baseline_logloss: number;
  train_examples: number;
  test_examples: number;
}

/**
 * From a tenant's events to a ranker ready for the model registry: builds
 * examples with negative sampling, trains `kind` and the logistic-regression
 * baseline, and reports both on the held-out latest events. The metrics are
 * also in the ranker's artifact header.
 */
export async function trainRanker(
  events: readonly TrainingEvent[],
  items: readonly RankingItem[],
  options: TrainRankerOptions = {},
  onProgress?: ProgressListener,
): Promise<{ ranker: LearnedRanker; metrics: RankerMetrics }> {
  const kind = options.kind ?? 'deepfm';
  const data = buildTrainingData(events, items, options.data);
  if (data.train.length === 0 || data.test.length === 0) throw new Error(`not enough events to train a ranker (${data.train.length} training, ${data.test.length} held-out examples)`);
  await onProgress?.({ stage: 'data', train: data.train.length, validation: data.validation.length, test: data.test.length, negativesFrom: data.negativesFrom });

  const baseline = await trainModelOnData(data, 'lr', options, onProgress);
  const trained = kind === 'lr' ? baseline : await trainModelOnData(data, kind, options, onProgress);
  if (trained !== baseline) baseline.ranker.dispose();

  const metrics: RankerMetrics = {
    auc: trained.auc,
    logloss: trained.logloss,
    baseline_auc: baseline.auc,
    baseline_logloss: baseline.logloss,
    train_examples: data.train.length,
    test_examples: data.test.length,
  };
  Object.assign(trained.ranker.header.metrics, metrics);
  return { ranker: trained.ranker, metrics };
}
