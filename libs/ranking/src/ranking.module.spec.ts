import { Global, Injectable, Module, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ModelArtifactStore, ModelRepository } from '@lemo/domain';
import type { RankedItem } from './ranked-item';
import { Ranker } from './ranker';
import { RankerRegistry } from './ranker.registry';
import { RankingModule, RANKER_NAMES } from './ranking.module';
import { Reranker } from './rerank/reranker';
import { RuleRanker } from './rule.ranker';

/** Stands in for the storage module: the learned rankers read the model registry. */
@Global()
@Module({
  providers: [
    { provide: ModelRepository, useValue: {} },
    { provide: ModelArtifactStore, useValue: {} },
  ],
  exports: [ModelRepository, ModelArtifactStore],
})
class PortsModule {}

@Injectable()
class ExtraRanker extends Ranker {
  readonly name = 'extra';
  async rank(): Promise<RankedItem[]> {
    return [];
  }
}

async function contextWith(rankingModule: Type | DynamicModule) {
  @Module({ imports: [PortsModule, rankingModule] })
  class AppModule {}
  return NestFactory.createApplicationContext(AppModule, { logger: false });
}

describe('RankingModule', () => {
  it('provides the registry with the rule and learned rankers and the reranker', async () => {
    const app = await contextWith(RankingModule);
    const registry = app.get(RankerRegistry);
    expect(registry.names()).toEqual([...RANKER_NAMES]);
    expect(registry.getOrFallback('gbdt')).toBe(app.get(RuleRanker));
    expect(registry.get('deepfm')?.name).toBe('deepfm');
    expect(app.get(Reranker)).toBeInstanceOf(Reranker);
    await app.close();
  });

  it('withRankers plugs more rankers in by name', async () => {
    const app = await contextWith(RankingModule.withRankers([ExtraRanker]));
    const registry = app.get(RankerRegistry);
    expect(registry.names()).toEqual([...RANKER_NAMES, 'extra']);
    expect(registry.getOrFallback('extra')).toBeInstanceOf(ExtraRanker);
    await app.close();
  });

  it('refuses duplicate names and a registry without the rule ranker', () => {
    expect(() => new RankerRegistry([new RuleRanker(), new RuleRanker()])).toThrow("two rankers are named 'rule'");
    expect(() => new RankerRegistry([new ExtraRanker()])).toThrow("the 'rule' ranker must be registered");
  });
});
