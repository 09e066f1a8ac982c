export type { RankedItem, RankContext, RankingReport } from './ranked-item';
export { Ranker } from './ranker';
export { RuleRanker } from './rule.ranker';
export { RankerRegistry, RANKERS, FALLBACK_RANKER } from './ranker.registry';
export { Reranker, type RerankContext } from './rerank/reranker';
export { applyBusinessRules, placePins, ruleTargets, type PinnedItem } from './rerank/business-rules';
export { mmr, categoryWindow } from './rerank/diversity';
export { matchesCondition, fieldValue } from './condition';
export { RankingModule, BUILT_IN_RANKERS, RANKER_NAMES } from './ranking.module';
export {
  loadTensorflow,
  DEFAULT_TENSORFLOW_LOADERS,
  type TensorflowNamespace,
  type TensorflowBackendName,
  type TensorflowRuntime,
  type TensorflowLoaders,
  type BackendLogger,
  type RankingUser,
  type RankingItem,
  type RankingMoment,
  type RankingExample,
  type LabelledExample,
  SPARSE_FIELD_NAMES,
  DENSE_FIELD_NAMES,
  defaultFeatureSchema,
  type FeatureSchema,
  type SparseField,
  type SparseFieldName,
  type DenseFieldName,
  FeatureEncoder,
  type EncodedBatch,
  rocAuc,
  logLoss,
  MODEL_KINDS,
  isModelKind,
  type ModelKind,
  type ModelHyperparameters,
  buildTrainingData,
  DEFAULT_TRAINING_DATA_OPTIONS,
  type TrainingEvent,
  type TrainingData,
  type TrainingDataOptions,
  type NegativeSource,
  type FeatureStatistics,
  rankingItemFromItem,
  type FitOptions,
  type EpochProgress,
  decodeRankerArtifact,
  encodeRankerArtifact,
  type RankerArtifact,
  type RankerArtifactHeader,
  LearnedRanker,
  type ScoringContext,
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
} from './learned';
export { DeployedRankers, LearnedModelRanker, LogisticRegressionRanker, FactorisationMachineRanker, DeepFmRanker, WideAndDeepRanker } from './deployed/learned-model.ranker';
export { ServedRankers, servedRankerModelId, type ServedRankerRef, type ServedRankerInfo, type RankerLease, type ServedRankersObserver, type ServedRankersOptions } from './serving/served-rankers';
export { ModelServerClient, ModelServerCallError, TENANT_HEADER, INTERNAL_TOKEN_HEADER, type ModelServerFailure, type ModelServerClientOptions } from './serving/model-server.client';
export { ModelServerRanker, ModelServerClientMetrics } from './serving/model-server.ranker';
