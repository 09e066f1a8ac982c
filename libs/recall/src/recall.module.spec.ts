import { Global, Injectable, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Cache, EventStore, FeatureStore, ItemRepository, ModelArtifactStore, ModelRepository, VectorIndex } from '@lemo/domain';
import { BruteForceVectorIndex, InMemoryFeatureStore, InMemoryItemRepository } from '../testing';
import type { Candidate } from './candidate';
import { RecallModule, RECALL_STRATEGY_NAMES } from './recall.module';
import { RecallRegistry } from './recall.registry';
import { RecallStrategy } from './recall-strategy';
import { RecallService } from './recall.service';

/** Stands in for the storage module: provides the ports globally. */
@Global()
@Module({
  providers: [
    { provide: FeatureStore, useValue: new InMemoryFeatureStore().setHot('s1', { hot: 5 }) },
    { provide: ItemRepository, useValue: new InMemoryItemRepository([]) },
    { provide: VectorIndex, useValue: new BruteForceVectorIndex(4) },
    { provide: EventStore, useValue: {} },
    { provide: ModelRepository, useValue: {} },
    { provide: ModelArtifactStore, useValue: {} },
    { provide: Cache, useValue: {} },
  ],
  exports: [FeatureStore, ItemRepository, VectorIndex, EventStore, ModelRepository, ModelArtifactStore, Cache],
})
class PortsModule {}

@Injectable()
class ExtraRecall extends RecallStrategy {
  readonly name = 'extra';
  async recall(): Promise<Candidate[]> {
    return [];
  }
}

async function contextWith(recallModule: Type | ReturnType<typeof RecallModule.withStrategies>) {
  @Module({ imports: [PortsModule, recallModule] })
  class AppModule {}
  return NestFactory.createApplicationContext(AppModule, { logger: false });
}

describe('RecallModule', () => {
  it('wires the registry with every built-in strategy and a working service', async () => {
    const app = await contextWith(RecallModule);
    expect(app.get(RecallRegistry).names()).toEqual([...RECALL_STRATEGY_NAMES]);
    const result = await app
      .get(RecallService)
      .recall(
        { tenantId: 't1', scenarioId: 's1', userId: 'u1', recent: [], now: 0 },
        { strategies: [{ name: 'popular', weight: 1, limit: 10, timeout_ms: 1000, params: {} }], total_limit: 10, normalization: 'max' },
        new Set(),
      );
    expect(result.candidates.map((c) => c.item_id)).toEqual(['hot']);
    await app.close();
  });

  it('withStrategies adds strategies defined elsewhere', async () => {
    const app = await contextWith(RecallModule.withStrategies([ExtraRecall]));
    expect(app.get(RecallRegistry).names()).toEqual([...RECALL_STRATEGY_NAMES, 'extra']);
    await app.close();
  });
});
