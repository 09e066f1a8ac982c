export { ContentEmbedder, DEFAULT_CONTENT_FIELD_WEIGHTS, type ContentEmbedderOptions, type ContentFieldWeights } from './content-embedder';
export { eventWeight, isActionType, positiveWeight } from './action-weights';
export type { UserContext } from './user-context';
export {
  ItemSimilarityBuilder,
  DEFAULT_ITEM_SIMILARITY_OPTIONS,
  type ItemSimilarityOptions,
  type ItemSimilarityResult,
  type ProgressCallback,
} from './similarity/item-similarity.builder';
export { FeaturesModule } from './features.module';
export { tokenize } from './text/tokenizer';
export { hashString } from './numeric/hashing';
export { cosine, dot, norm, l2NormalizeInPlace } from './numeric/vector-math';
export { halfLifeDecay } from './numeric/decay';
export { IdInterner } from './numeric/id-interner';
export { selectTop } from './numeric/select-top';
