import { Injectable, Module, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { RankedItem } from './ranked-item';
import { Ranker } from './ranker';
import { RankerRegistry } from './ranker.registry';
import { RankingModule, RANKER_NAMES } from './ranking.module';
import { Reranker } from './rerank/reranker';
import { RuleRanker } from './rule.ranker';

@Injectable()
class LearnedRanker extends Ranker {
  readonly name = 'lr';
  async rank(): Promise<RankedItem[]> {
    return [];
  }
}

async function contextWith(rankingModule: Type | DynamicModule) {
  @Module({ imports: [rankingModule] })
  class AppModule {}
  return NestFactory.createApplicationContext(AppModule, { logger: false });
}

describe('RankingModule', () => {
  it('provides the registry with the rule ranker and the reranker', async () => {
    const app = await contextWith(RankingModule);
    const registry = app.get(RankerRegistry);
    expect(registry.names()).toEqual([...RANKER_NAMES]);
    expect(registry.getOrFallback('deepfm')).toBe(app.get(RuleRanker));
    expect(registry.get('deepfm')).toBeUndefined();
    expect(app.get(Reranker)).toBeInstanceOf(Reranker);
    await app.close();
  });

  it('withRankers plugs learned rankers in by name', async () => {
    const app = await contextWith(RankingModule.withRankers([LearnedRanker]));
    const registry = app.get(RankerRegistry);
    expect(registry.names()).toEqual(['rule', 'lr']);
    expect(registry.getOrFallback('lr')).toBeInstanceOf(LearnedRanker);
    await app.close();
  });

  it('refuses duplicate names and a registry without the rule ranker', () => {
    expect(() => new RankerRegistry([new RuleRanker(), new RuleRanker()])).toThrow("two rankers are named 'rule'");
    expect(() => new RankerRegistry([new LearnedRanker()])).toThrow("the 'rule' ranker must be registered");
  });
});
