import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { AppConfig } from '@lemo/platform-config';
import { LOGGER, Metrics, type AppLogger } from '@lemo/platform-observability';
import { RankerRegistry, RANKERS } from './ranker.registry';
import type { Ranker } from './ranker';
import { Reranker } from './rerank/reranker';
import { RuleRanker } from './rule.ranker';
import { DeepFmRanker, DeployedRankers, FactorisationMachineRanker, LearnedModelRanker, LogisticRegressionRanker, WideAndDeepRanker } from './deployed/learned-model.ranker';
import { ModelServerClient } from './serving/model-server.client';
import { ModelServerClientMetrics, ModelServerRanker } from './serving/model-server.ranker';

/** The rankers every deployment has: the rule score, and the learned models (rule-ranked until a version is deployed). */
export const BUILT_IN_RANKERS: readonly Type<Ranker>[] = [RuleRanker, LogisticRegressionRanker, FactorisationMachineRanker, DeepFmRanker, WideAndDeepRanker];

/** Names of the built-in rankers, for the scenario-config validator. */
export const RANKER_NAMES = ['rule', 'lr', 'fm', 'deepfm', 'wide_deep'] as const;

/**
 * With MODEL_SERVER_URL set, each learned ranker scores through the model-server
 * (the in-process one stays as its fallback); without it, in this process.
 */
function throughModelServer(instances: Ranker[], config: AppConfig | undefined, rule: RuleRanker, metrics?: Metrics, logger?: AppLogger): Ranker[] {
  const url = config?.modelServer.url;
  if (!url || !config) return instances;
  const client = new ModelServerClient({ url, token: config.modelServer.token, timeoutMs: config.modelServer.timeoutMs });
  const clientMetrics = new ModelServerClientMetrics(metrics, logger);
  return instances.map((ranker) => (ranker instanceof LearnedModelRanker ? new ModelServerRanker(ranker, rule, client, clientMetrics) : ranker));
}

function providersFor(rankers: readonly Type<Ranker>[]): Provider[] {
  const rankerList: Provider = {
    provide: RANKERS,
    useFactory: (config: AppConfig | undefined, rule: RuleRanker, metrics: Metrics | undefined, logger: AppLogger | undefined, ...instances: Ranker[]) =>
      throughModelServer(instances, config, rule, metrics, logger),
    inject: [{ token: AppConfig, optional: true }, RuleRanker, { token: Metrics, optional: true }, { token: LOGGER, optional: true }, ...rankers],
  };
  return [...rankers, rankerList, RankerRegistry, Reranker, DeployedRankers];
}

/** Ranking and reranking. The learned rankers read the ModelRepository and ModelArtifactStore ports (provided globally by the storage module). */
@Module({ providers: providersFor(BUILT_IN_RANKERS), exports: [RankerRegistry, RuleRanker, Reranker] })
export class RankingModule {
  /** The built-ins plus rankers defined elsewhere (e.g. model-backed ones served from the model registry). */
  static withRankers(extra: readonly Type<Ranker>[]): DynamicModule {
    return { module: RankingModule, providers: providersFor([...BUILT_IN_RANKERS, ...extra]), exports: [RankerRegistry, RuleRanker, Reranker] };
  }
}
