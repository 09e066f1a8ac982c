export { ContentEmbedder, DEFAULT_CONTENT_FIELD_WEIGHTS, type ContentEmbedderOptions, type ContentFieldWeights } from './content-embedder';
export { eventWeight, isActionType, positiveWeight } from './action-weights';
export type { UserContext } from './user-context';
export {
  ItemSimilarityBuilder,
  DEFAULT_ITEM_SIMILARITY_OPTIONS,
  type ItemSimilarityOptions,
  type ItemSimilarityResult,
  type SimilarityBuildReason,
  type ProgressCallback,
} from './similarity/item-similarity.builder';
export { WATERMARK_ITEM_ID, type NeighbourWatermark } from './similarity/neighbour-watermark';
export { FeaturesModule } from './features.module';
export { tokenize } from './text/tokenizer';
export { hashString } from './numeric/hashing';
export { cosine, dot, norm, l2NormalizeInPlace } from './numeric/vector-math';
export { halfLifeDecay } from './numeric/decay';
export { IdInterner } from './numeric/id-interner';
export { selectTop } from './numeric/select-top';
export { InteractionLog } from './similarity/interaction-log';
export { buildUserItemMatrix, type UserItemMatrix } from './similarity/user-item-matrix';
export { scanScenarioInteractions, type ScenarioInteractions, type InteractionScanOptions } from './similarity/scenario-interactions';
export { historyOf, type ImplicitModel, type ImplicitTrainer, type TrainingProgress, type UserHistory } from './models/implicit-model';
export { encodeTrainedModel, decodeTrainedModel, type TrainedModelHeader, type ModelCodec } from './models/trained-model';
export { SERVABLE_ALGORITHMS, servableAlgorithm, isFactorModel, factorNamespace, type ServableAlgorithm, type FactorModel } from './models/model-catalog';
export { holdOutLastItems, evaluateHoldout, type HoldoutMetrics, type LastItemHoldout } from './models/holdout-evaluation';
export { EaseTrainer, EaseModel, DEFAULT_EASE_PARAMS, type EaseParams } from './models/ease';
export { ItemKnnTrainer, ItemKnnModel, DEFAULT_ITEM_KNN_PARAMS, type ItemKnnParams } from './models/item-knn';
export { UserKnnTrainer, UserKnnModel, DEFAULT_USER_KNN_PARAMS, type UserKnnParams } from './models/user-knn';
export {
  ContentTrainer,
  ContentModel,
  SparseItemVectors,
  DenseItemVectors,
  DEFAULT_CONTENT_PARAMS,
  hashedItemTextEmbedder,
  itemTextOf,
  type ContentParams,
  type ItemText,
  type ItemTextEmbedder,
  type ItemVectors,
} from './models/content-model';
export { PopularityTrainer, PopularityModel, type PopularityParams } from './models/popularity';
export { invertSymmetricPositiveDefinite, NotPositiveDefiniteError, type DenseCheckpoint } from './models/dense-linear-algebra';
export { TrainingPacer, yieldToEventLoop } from './models/training-pacer';
export { AlsTrainer, AlsModel, DEFAULT_ALS_PARAMS, type AlsParams } from './models/als';
export { BprTrainer, BprModel, DEFAULT_BPR_PARAMS, type BprParams } from './models/bpr';
export { encodeFactorModel, decodeFactorModel, type FactorModelPayload } from './models/factor-model-codec';
export { DeployedModels, type DeployedModel, type DeployedModelsOptions } from './models/deployed-models';
export { mulberry32, shuffleInPlace } from './models/random';
