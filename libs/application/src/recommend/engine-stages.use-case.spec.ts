import { aScenario, anItem } from '@lemo/domain/testing';
import { DomainError, defaultScenarioConfig, type Item, type Scenario } from '@lemo/domain';
import type { Candidate, RecallRegistry, RecallService } from '@lemo/recall';
import { Reranker } from '@lemo/ranking';
import { EngineStagesUseCase, GIVEN_STRATEGY, rerankConfigWith } from './engine-stages.use-case';
import { multiRecallRequestSchema, rankRequestSchema, rerankRequestSchema } from './engine-stage-requests';
import type { ServingStages } from './serving-stages';

const config = defaultScenarioConfig();
const scenario: Scenario = aScenario('acme', 'shop', {
  config: { ...config, recall: { ...config.recall, strategies: config.recall.strategies.map((s) => (s.name === 'latest' ? { ...s, timeout_ms: 900 } : s)) } },
});
const catalogue = new Map<string, Item>(['a', 'b', 'c'].map((id) => [id, anItem('acme', 'shop', id, { metadata: { category: id === 'c' ? 'hats' : 'shoes' } })]));

/** The serving steps the stages call, recording what they were given. */
function fakeStages(options: { suspected?: boolean } = {}) {
  const ranked: Candidate[][] = [];
  const recalledWith: unknown[] = [];
  const stages = {
    documentStoreSuspected: options.suspected ?? false,
    servedScenario: async (_tenantId: string, scenarioId: string) => (scenarioId === 'shop' ? { scenario, experiment: null } : Promise.reject(DomainError.notFound('scenario', scenarioId))),
    userState: async () => ({ context: {}, exclude: new Set<string>() }),
    loadItems: async (_tenantId: string, _scenarioId: string, ids: readonly string[], keep: (item: Item) => boolean) =>
      new Map(options.suspected ? [] : ids.flatMap((id) => (catalogue.has(id) && keep(catalogue.get(id) as Item) ? [[id, catalogue.get(id) as Item] as const] : []))),
    hasRanker: (name: string) => ['rule', 'lr'].includes(name),
    rankerNames: () => ['rule', 'lr'],
    rank: async (_t: string, _s: Scenario, _u: string | null, candidates: Candidate[], items: ReadonlyMap<string, Item>, _now: number, rankerName: string) => {
      ranked.push(candidates);
      // Reverse order, to tell the ranker's order from the given one.
      return { ranked: [...candidates].reverse().map((c, i) => ({ item: items.get(c.item_id) as Item, score: i + 1, strategy: c.strategy, reason: c.reason })), ranker: rankerName };
    },
  } as unknown as ServingStages;
  const recall = {
    recall: async (_ctx: unknown, config: unknown) => {
      recalledWith.push(config);
      return { candidates: [{ item_id: 'a', score: 1, strategy: 'popular', reason: '' }, { item_id: 'gone', score: 0.5, strategy: 'popular', reason: '' }], timings: {}, failures: {} };
    },
  } as unknown as RecallService;
  const registry = { get: (name: string) => (['popular', 'latest'].includes(name) ? {} : undefined), names: () => ['popular', 'latest'] } as unknown as RecallRegistry;
  return { useCase: new EngineStagesUseCase(stages, recall, registry, new Reranker()), ranked, recalledWith };
}

describe('EngineStagesUseCase', () => {
  it('ranks given items with equal recall scores in the given order, reporting unknown and repeated ids', async () => {
    const { useCase, ranked } = fakeStages();
    const result = await useCase.rank('acme', rankRequestSchema.parse({ scenario_id: 'shop', item_ids: ['b', 'x', 'a', 'b'] }));
    expect(ranked[0]).toEqual([
      { item_id: 'b', score: 1, strategy: GIVEN_STRATEGY, reason: '' },
      { item_id: 'a', score: 1, strategy: GIVEN_STRATEGY, reason: '' },
    ]);
    expect(result.ranked.map((r) => r.item_id)).toEqual(['a', 'b']);
    expect(result.debug).toEqual({ experiment_id: null, variant_id: null, ranker: 'rule', dropped: ['x', 'b'] });
  });

  it('refuses an unknown ranker, and reports a document store outage rather than an empty ranking', async () => {
    await expect(fakeStages().useCase.rank('acme', rankRequestSchema.parse({ scenario_id: 'shop', item_ids: ['a'], ranker: 'oracle' }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [{ field: 'ranker', message: expect.stringContaining('rule, lr') }],
    });
    await expect(fakeStages({ suspected: true }).useCase.rank('acme', rankRequestSchema.parse({ scenario_id: 'shop', item_ids: ['a'] }))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it("recalls with the requested strategies in place of the scenario's, keeping only loadable items", async () => {
    const { useCase, recalledWith } = fakeStages();
    const result = await useCase.multiRecall('acme', multiRecallRequestSchema.parse({ scenario_id: 'shop', strategies: [{ name: 'latest', limit: 5 }, { name: 'popular', timeout_ms: 40 }] }));
    // Without a budget of its own, a strategy takes the scenario's for its name.
    expect(recalledWith[0]).toMatchObject({
      total_limit: scenario.config.recall.total_limit,
      strategies: [
        { name: 'latest', limit: 5, weight: 1, timeout_ms: 900 },
        { name: 'popular', timeout_ms: 40 },
      ],
    });
    expect(result.candidates.map((c) => c.item_id)).toEqual(['a']);
    expect(result.debug).toMatchObject({ strategies: ['latest', 'popular'], recalled: 2 });
    await expect(useCase.multiRecall('acme', multiRecallRequestSchema.parse({ scenario_id: 'shop', strategies: [{ name: 'latest' }, { name: 'telepathy' }] }))).rejects.toMatchObject({
      issues: [{ field: 'strategies.1.name', message: expect.stringContaining("'telepathy'") }],
    });
  });

  it('reranks the loaded items, reporting unknown ones and those a filter rule removed', async () => {
    const { useCase } = fakeStages();
    const request = rerankRequestSchema.parse({
      scenario_id: 'shop',
      ranked_items: [
        { item_id: 'a', score: 0.5 },
        { item_id: 'x', score: 0.9 },
        { item_id: 'b', score: 0.7 },
        { item_id: 'c', score: 0.6 },
      ],
      rules: [{ name: 'filter', params: { item_ids: ['c'] } }, { name: 'diversity', params: { enabled: false } }, { name: 'freshness', params: { enabled: false } }],
    });
    const result = await useCase.rerank('acme', request);
    expect(result.reranked).toEqual([
      { item_id: 'b', score: 0.7 },
      { item_id: 'a', score: 0.5 },
    ]);
    expect(result.debug).toMatchObject({ dropped: ['x'], filtered: ['c'] });
  });
});

describe('rerankConfigWith', () => {
  const base = { ...defaultScenarioConfig().rerank, rules: [{ type: 'bury' as const, item_ids: ['z'], factor: 0.5 }] };

  it("merges diversity and freshness params over the scenario's sections and appends business rules after its own", () => {
    const config = rerankConfigWith(base, [
      { name: 'diversity', params: { method: 'category_window', window: 3 } },
      { name: 'freshness', params: { weight: 1 } },
      { name: 'pin', params: { item_ids: ['a'], position: 2 } },
    ]);
    expect(config.diversity).toEqual({ ...base.diversity, method: 'category_window', window: 3 });
    expect(config.freshness).toEqual({ ...base.freshness, weight: 1 });
    expect(config.rules).toEqual([base.rules[0], { type: 'pin', item_ids: ['a'], position: 2 }]);
    expect(base.rules).toHaveLength(1);
  });

  it('names the rule and param of a bad value', () => {
    const fieldOf = (rules: Parameters<typeof rerankConfigWith>[1]) => {
      try {
        rerankConfigWith(base, rules);
      } catch (error) {
        return (error as DomainError).issues.map((issue) => issue.field);
      }
      throw new Error('expected a validation error');
    };
    expect(fieldOf([{ name: 'freshness', params: {} }, { name: 'diversity', params: { lambda: 3 } }])).toEqual(['rules.1.params.lambda']);
    expect(fieldOf([{ name: 'boost', params: { factor: 0 } }])).toEqual(['rules.0.params.factor']);
    expect(fieldOf([{ name: 'pin', params: { type: 'filter', item_ids: ['a'] } }])).toEqual(['rules.0.params.type']);
  });
});
