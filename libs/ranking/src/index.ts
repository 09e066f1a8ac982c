export type { RankedItem, RankContext } from './ranked-item';
export { Ranker } from './ranker';
export { RuleRanker } from './rule.ranker';
export { RankerRegistry, RANKERS, FALLBACK_RANKER } from './ranker.registry';
export { Reranker, type RerankContext } from './rerank/reranker';
export { applyBusinessRules, placePins, ruleTargets, type PinnedItem } from './rerank/business-rules';
export { mmr, categoryWindow } from './rerank/diversity';
export { matchesCondition, fieldValue } from './condition';
export { RankingModule, BUILT_IN_RANKERS, RANKER_NAMES } from './ranking.module';
