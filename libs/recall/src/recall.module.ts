import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { RecallRegistry, RECALL_STRATEGIES } from './recall.registry';
import type { RecallStrategy } from './recall-strategy';
import { RecallService } from './recall.service';
import { ItemCfRecall } from './strategies/item-cf.strategy';
import { LatestRecall } from './strategies/latest.strategy';
import { PopularRecall } from './strategies/popular.strategy';
import { RecentSimilarRecall } from './strategies/recent-similar.strategy';
import { AlsRecall, BprRecall, EaseRecall, UserCfRecall } from './models/model-recall.strategy';
import { EmbeddingRecall } from './models/embedding.strategy';
import { TrainedRecallModels } from './models/trained-recall-models';
import { UserVectors } from './models/user-vectors';

/** The strategies every deployment has; a new built-in is one more class here. */
export const BUILT_IN_RECALL_STRATEGIES: readonly Type<RecallStrategy>[] = [
  PopularRecall,
  LatestRecall,
  ItemCfRecall,
  RecentSimilarRecall,
  AlsRecall,
  BprRecall,
  EaseRecall,
  UserCfRecall,
  EmbeddingRecall,
];

/** Names of the built-in strategies, for the scenario-config validator. */
export const RECALL_STRATEGY_NAMES = ['popular', 'latest', 'item_cf', 'recent_similar', 'als', 'bpr', 'ease', 'user_cf', 'embedding'] as const;

function providersFor(strategies: readonly Type<RecallStrategy>[]): Provider[] {
  return [
    ...strategies,
    { provide: RECALL_STRATEGIES, useFactory: (...instances: RecallStrategy[]) => instances, inject: [...strategies] },
    RecallRegistry,
    RecallService,
    TrainedRecallModels,
    UserVectors,
  ];
}

/**
 * Recall: the registry, the service and the built-in strategies. Expects the
 * domain ports (FeatureStore, ItemRepository, VectorIndex, EventStore,
 * ModelRepository, ModelArtifactStore) to be
 * provided globally by the storage module the app imports.
 */
@Module({ providers: providersFor(BUILT_IN_RECALL_STRATEGIES), exports: [RecallRegistry, RecallService, TrainedRecallModels, UserVectors] })
export class RecallModule {
  /** The built-ins plus strategies defined elsewhere (e.g. model-backed ones in a lib that depends on recall). */
  static withStrategies(extra: readonly Type<RecallStrategy>[]): DynamicModule {
    return { module: RecallModule, providers: providersFor([...BUILT_IN_RECALL_STRATEGIES, ...extra]), exports: [RecallRegistry, RecallService, TrainedRecallModels, UserVectors] };
  }
}
