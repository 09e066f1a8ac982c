import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { RankerRegistry, RANKERS } from './ranker.registry';
import type { Ranker } from './ranker';
import { Reranker } from './rerank/reranker';
import { RuleRanker } from './rule.ranker';
import { DeepFmRanker, DeployedRankers, FactorisationMachineRanker, LogisticRegressionRanker, WideAndDeepRanker } from './deployed/learned-model.ranker';

/** The rankers every deployment has: the rule score, and the learned models (rule-ranked until a version is deployed). */
export const BUILT_IN_RANKERS: readonly Type<Ranker>[] = [RuleRanker, LogisticRegressionRanker, FactorisationMachineRanker, DeepFmRanker, WideAndDeepRanker];

/** Names of the built-in rankers, for the scenario-config validator. */
export const RANKER_NAMES = ['rule', 'lr', 'fm', 'deepfm', 'wide_deep'] as const;

function providersFor(rankers: readonly Type<Ranker>[]): Provider[] {
  return [...rankers, { provide: RANKERS, useFactory: (...instances: Ranker[]) => instances, inject: [...rankers] }, RankerRegistry, Reranker, DeployedRankers];
}

/** Ranking and reranking. The learned rankers read the ModelRepository and ModelArtifactStore ports (provided globally by the storage module). */
@Module({ providers: providersFor(BUILT_IN_RANKERS), exports: [RankerRegistry, RuleRanker, Reranker] })
export class RankingModule {
  /** The built-ins plus rankers defined elsewhere (e.g. model-backed ones served from the model registry). */
  static withRankers(extra: readonly Type<Ranker>[]): DynamicModule {
    return { module: RankingModule, providers: providersFor([...BUILT_IN_RANKERS, ...extra]), exports: [RankerRegistry, RuleRanker, Reranker] };
  }
}
