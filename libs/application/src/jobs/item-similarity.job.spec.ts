import type { ItemSimilarityBuilder, ItemSimilarityResult } from '@lemo/features';
import { runItemSimilarityJob } from './item-similarity.job';

/** Records which entry point the job took; the builder's own choice (incremental or full) is tested in @lemo/features. */
function recordingBuilder() {
  const calls: string[] = [];
  const result = (mode: ItemSimilarityResult['mode']): ItemSimilarityResult => ({ mode, items: 0, pairs: 0, interactions: 0, ms: 0 });
  const builder: Pick<ItemSimilarityBuilder, 'build' | 'update'> = {
    build: async (tenantId, scenarioId, options) => {
      calls.push(`build ${tenantId}/${scenarioId} ${JSON.stringify(options)}`);
      return result('full');
    },
    update: async (tenantId, scenarioId, options) => {
      calls.push(`update ${tenantId}/${scenarioId} ${JSON.stringify(options)}`);
      return result('incremental');
    },
  };
  return { builder, calls };
}

describe('runItemSimilarityJob', () => {
  it('updates incrementally for the debounced after-events run', async () => {
    const { builder, calls } = recordingBuilder();
    await runItemSimilarityJob(builder, { tenant_id: 'acme', scenario_id: 'home', mode: 'incremental' }, () => undefined);
    expect(calls).toEqual(['update acme/home {}']);
  });

  it('rebuilds in full for the hourly tick, a trigger and jobs without a mode', async () => {
    const { builder, calls } = recordingBuilder();
    await runItemSimilarityJob(builder, { tenant_id: 'acme', scenario_id: 'home' }, () => undefined);
    await runItemSimilarityJob(builder, { tenant_id: 'acme', scenario_id: 'home', mode: 'full' }, () => undefined);
    expect(calls).toEqual(['build acme/home {}', 'build acme/home {}']);
  });
});
