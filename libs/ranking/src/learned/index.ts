export { loadTensorflow, DEFAULT_TENSORFLOW_LOADERS, type TensorflowNamespace, type TensorflowBackendName, type TensorflowRuntime, type TensorflowLoaders, type BackendLogger } from './tensorflow-backend';
export type { RankingUser, RankingItem, RankingMoment, RankingExample, LabelledExample } from './ranking-example';
export { SPARSE_FIELD_NAMES, DENSE_FIELD_NAMES, defaultFeatureSchema, type FeatureSchema, type SparseField, type SparseFieldName, type DenseFieldName } from './feature-schema';
export { FeatureEncoder, type EncodedBatch } from './feature-encoder';
export { rocAuc, logLoss } from './metrics';
export { MODEL_KINDS, isModelKind, type ModelKind, type ModelHyperparameters } from './models/ranking-model';
export { buildTrainingData, DEFAULT_TRAINING_DATA_OPTIONS, type TrainingEvent, type TrainingData, type TrainingDataOptions, type NegativeSource, type FeatureStatistics } from './training-data';
export { rankingItemFromItem } from './catalog-item';
export type { FitOptions, EpochProgress } from './model-trainer';
export { decodeRankerArtifact, encodeRankerArtifact, type RankerArtifact, type RankerArtifactHeader } from './ranker-artifact';
export { LearnedRanker, type ScoringContext } from './learned-ranker';
export {
  trainRanker,
  trainModelOnData,
  DEFAULT_FIT_OPTIONS,
  DEFAULT_HYPERPARAMETERS,
  type TrainRankerOptions,
  type ModelTrainingOptions,
  type RankerMetrics,
  type TrainedModel,
  type TrainingProgress,
  type ProgressListener,
} from './train-ranker';
