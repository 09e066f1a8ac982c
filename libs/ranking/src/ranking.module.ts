import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { RankerRegistry, RANKERS } from './ranker.registry';
import type { Ranker } from './ranker';
import { Reranker } from './rerank/reranker';
import { RuleRanker } from './rule.ranker';

/** The rankers every deployment has; learned ones are added by name the same way. */
export const BUILT_IN_RANKERS: readonly Type<Ranker>[] = [RuleRanker];

/** Names of the built-in rankers, for the scenario-config validator. */
export const RANKER_NAMES = ['rule'] as const;

function providersFor(rankers: readonly Type<Ranker>[]): Provider[] {
  return [...rankers, { provide: RANKERS, useFactory: (...instances: Ranker[]) => instances, inject: [...rankers] }, RankerRegistry, Reranker];
}

/** Ranking and reranking. Needs no ports: everything it reads comes in the call. */
@Module({ providers: providersFor(BUILT_IN_RANKERS), exports: [RankerRegistry, RuleRanker, Reranker] })
export class RankingModule {
  /** The built-ins plus rankers defined elsewhere (e.g. model-backed ones served from the model registry). */
  static withRankers(extra: readonly Type<Ranker>[]): DynamicModule {
    return { module: RankingModule, providers: providersFor([...BUILT_IN_RANKERS, ...extra]), exports: [RankerRegistry, RuleRanker, Reranker] };
  }
}
