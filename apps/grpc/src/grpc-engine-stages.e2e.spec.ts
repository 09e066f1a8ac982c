import { status, type ServiceError } from '@grpc/grpc-js';
import { BackgroundJobsModule } from '@lemo/application';
import { eventually } from '@lemo/domain/testing';
import { recommender } from '@lemo/contracts';
import { errorDetailsOf } from './call/grpc-errors';
import { closeAll, createGrpcTestApp, failure, recommenderClients, unary, type GrpcTestApp, type RecommenderClients } from './e2e/grpc-test-app';

jest.setTimeout(120_000);

const PORT = 10978;
const { ActionType, ModelStatus } = recommender;

const fieldsOf = (error: ServiceError) => [...new Set(errorDetailsOf(error.metadata).map((detail) => detail.field))];
const DAY_MS = 86_400_000;

/** Seven items in three categories, newest last; `daysOld` sets their publish time. */
const CATALOGUE = [
  { item_id: 's1', category: 'shoes', daysOld: 60 },
  { item_id: 'h1', category: 'hats', daysOld: 50 },
  { item_id: 's2', category: 'shoes', daysOld: 40 },
  { item_id: 'h2', category: 'hats', daysOld: 30 },
  { item_id: 's3', category: 'shoes', daysOld: 20 },
  { item_id: 'h3', category: 'hats', daysOld: 10 },
  { item_id: 'b1', category: 'bags', daysOld: 5 },
];
const categoryOf = new Map(CATALOGUE.map((item) => [item.item_id, item.category]));

/**
 * Clicks: s1 by three users, h1 by two, s2 by one (so popularity orders s1 > h1 > s2); u1 clicked
 * h2, which is therefore "seen" for u1.
 */
const CLICKS: Array<[user: string, item: string]> = [
  ['u2', 's1'],
  ['u3', 's1'],
  ['u4', 's1'],
  ['u2', 'h1'],
  ['u3', 'h1'],
  ['u2', 's2'],
  ['u1', 'h2'],
];

/**
 * The scenario ranks by popularity alone (so the rule ranker's order is known), buries bags, keeps at
 * most one item of a category in any two consecutive slots, and caches nothing. Its strategies' time
 * budgets are wide: the suite asserts what they find, not how fast (on the cluster profile, on a busy
 * machine, a store read can take longer than the default 150 ms); the `als` entry (weight 0, so the
 * scenario does not run it) gives a requested `als` its budget.
 */
const BUDGET_MS = 10_000;
const SCENARIO_CONFIG = {
  recall: {
    strategies: [
      { name: 'popular', weight: 1, limit: 50, timeout_ms: BUDGET_MS },
      { name: 'latest', weight: 0.5, limit: 50, timeout_ms: BUDGET_MS },
      { name: 'item_cf', weight: 1, limit: 50, timeout_ms: BUDGET_MS },
      { name: 'als', weight: 0, limit: 50, timeout_ms: BUDGET_MS },
    ],
  },
  rank: { rule_weights: { recall: 0, popularity: 1, freshness: 0 } },
  rerank: {
    diversity: { enabled: true, method: 'category_window', window: 2, max_per_window: 1 },
    freshness: { enabled: false },
    rules: [{ type: 'bury', item_ids: ['b1'], factor: 0.5 }],
  },
  cache_ttl_seconds: 0,
};

describe('RecallService, RankingService and RerankingService over gRPC, and a model from training to deletion', () => {
  let t: GrpcTestApp;
  let c: RecommenderClients;
  let auth: Record<string, string>;

  beforeAll(async () => {
    // BackgroundJobsModule runs training jobs in this process, as the worker (or the all-in-one) does.
    t = await createGrpcTestApp(PORT, {}, [BackgroundJobsModule]);
    c = recommenderClients(t.address);
    auth = { 'x-api-key': (await t.tenant('acme')).apiKey };
    await unary(c.scenarios.createScenario.bind(c.scenarios), recommender.CreateScenarioRequest.fromPartial({ scenario_id: 'shop', name: 'Shop', scenario_type: 'ecommerce', config: SCENARIO_CONFIG }), auth);
    const now = Date.now();
    await unary(
      c.items.batchCreateItems.bind(c.items),
      recommender.BatchCreateItemsRequest.fromPartial({
        scenario_id: 'shop',
        items: CATALOGUE.map((item) => ({ item_id: item.item_id, metadata: { title: item.item_id, category: item.category, publish_time: new Date(now - item.daysOld * DAY_MS).toISOString() } })),
      }),
      auth,
    );
    const events = CLICKS.map(([user_id, item_id]) => ({ scenario_id: 'shop', user_id, item_id, action_type: ActionType.ACTION_TYPE_CLICK }));
    const tracked = await unary(c.behaviors.trackBatch.bind(c.behaviors), recommender.TrackBatchRequest.fromPartial({ events }), auth);
    expect(tracked.response.succeeded).toBe(CLICKS.length);
  });

  afterAll(async () => {
    if (c) closeAll(c);
    await t?.close();
  });

  const multiRecall = (partial: Partial<recommender.MultiRecallRequest>) =>
    unary(c.recall.multiRecall.bind(c.recall), recommender.MultiRecallRequest.fromPartial({ scenario_id: 'shop', ...partial }), auth);
  const rank = (partial: Partial<recommender.RankRequest>) => unary(c.ranking.rank.bind(c.ranking), recommender.RankRequest.fromPartial({ scenario_id: 'shop', ...partial }), auth);
  const rerank = (partial: Partial<recommender.RerankRequest>) =>
    unary(c.reranking.rerank.bind(c.reranking), recommender.RerankRequest.fromPartial({ scenario_id: 'shop', ...partial }), auth);

  describe('RecallService.MultiRecall', () => {
    it("runs the scenario's strategies, merged, without the items the user has seen", async () => {
      const { response } = await multiRecall({ user_id: 'u1' });
      expect(new Set(response.item_ids)).toEqual(new Set(['s1', 'h1', 's2', 's3', 'h3', 'b1']));
      expect(response.count).toBe(response.item_ids.length);
      expect(response.candidates.map((candidate) => candidate.item_id)).toEqual(response.item_ids);
      const scores = response.candidates.map((candidate) => candidate.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      for (const candidate of response.candidates) {
        expect(candidate.strategies).toContain(candidate.strategy);
        expect(['popular', 'latest', 'item_cf']).toEqual(expect.arrayContaining(candidate.strategies));
        expect(candidate.score).toBeGreaterThan(0);
      }
      // The most clicked item is found by both popular and latest (every active item is among the latest).
      const s1 = response.candidates.find((candidate) => candidate.item_id === 's1');
      expect(s1?.strategies).toEqual(expect.arrayContaining(['popular', 'latest']));
      expect(response.debug_info).toMatchObject({ strategies: ['popular', 'latest', 'item_cf'], failures: {}, experiment_id: null, excluded: 1 });
    });

    it('runs the requested strategies instead, and applies the filters', async () => {
      const latest = await multiRecall({ strategies: [{ name: 'latest', weight: 1, limit: 3, params: {} }] });
      expect(latest.response.item_ids).toEqual(['b1', 'h3', 's3']);
      expect(latest.response.candidates.map((candidate) => candidate.strategy)).toEqual(['latest', 'latest', 'latest']);
      expect(latest.response.debug_info).toMatchObject({ strategies: ['latest'] });

      const hats = await multiRecall({ user_id: 'u1', filters: { categories: ['hats'] } });
      expect(new Set(hats.response.item_ids)).toEqual(new Set(['h1', 'h3']));
      const withoutS1 = await multiRecall({ user_id: 'u1', filters: { exclude_ids: ['s1'] } });
      expect(withoutS1.response.item_ids).not.toContain('s1');
      expect(withoutS1.response.item_ids.length).toBe(5);
    });

    it('names the bad field of a recall request', async () => {
      expect(fieldsOf(await failure(multiRecall({ strategies: [{ name: 'telepathy', weight: 1, limit: 5, params: {} }] })))).toEqual(['strategies.0.name']);
      expect(fieldsOf(await failure(multiRecall({ strategies: [{ name: 'popular', weight: -1, limit: 5, params: {} }] })))).toEqual(['strategies.0.weight']);
      expect(fieldsOf(await failure(multiRecall({ filters: { colour: 'red' } })))).toEqual(['filters.colour']);
      expect(fieldsOf(await failure(multiRecall({ scenario_id: '' })))).toEqual(['scenario_id']);
      expect((await failure(multiRecall({ scenario_id: 'nowhere' }))).code).toBe(status.NOT_FOUND);
    });
  });

  describe('RankingService.Rank', () => {
    it("ranks the given items with the scenario's ranker, dropping unknown and repeated ids", async () => {
      const { response } = await rank({ user_id: 'u1', item_ids: ['s2', 'h1', 'ghost', 's1', 's2'] });
      // Popularity alone (rule_weights): s1 (3 clicks) > h1 (2) > s2 (1).
      expect(response.ranked_items.map((item) => item.item_id)).toEqual(['s1', 'h1', 's2']);
      expect(response.ranked_items[0].score).toBeCloseTo(1, 5);
      expect(response.ranked_items[1].score).toBeGreaterThan(response.ranked_items[2].score);
      expect(response.count).toBe(3);
      expect(response.debug_info).toMatchObject({ ranker: 'rule', dropped: ['ghost', 's2'] });
    });

    it('ranks with a requested ranker: a learned one serves the rule score until a version is deployed', async () => {
      const { response } = await rank({ item_ids: ['s2', 'h1', 's1'], ranker: 'lr' });
      expect(response.ranked_items.map((item) => item.item_id)).toEqual(['s1', 'h1', 's2']);
      expect(response.debug_info).toMatchObject({ ranker: 'lr' });
    });

    it('names the bad field of a rank request', async () => {
      expect(fieldsOf(await failure(rank({ item_ids: ['s1'], ranker: 'oracle' })))).toEqual(['ranker']);
      expect(fieldsOf(await failure(rank({ item_ids: [] })))).toEqual(['item_ids']);
      expect(fieldsOf(await failure(rank({ item_ids: ['s1', ''] })))).toEqual(['item_ids.1']);
      expect((await failure(rank({ scenario_id: 'nowhere', item_ids: ['s1'] }))).code).toBe(status.NOT_FOUND);
    });
  });

  describe('RerankingService.Rerank', () => {
    const ranked = [
      { item_id: 's1', score: 0.9 },
      { item_id: 's2', score: 0.8 },
      { item_id: 's3', score: 0.7 },
      { item_id: 'h1', score: 0.6 },
      { item_id: 'b1', score: 0.95 },
    ];

    it("applies the scenario's business rules and diversity", async () => {
      const { response } = await rerank({ ranked_items: ranked });
      const ids = response.reranked_items.map((item) => item.item_id);
      expect(new Set(ids)).toEqual(new Set(ranked.map((item) => item.item_id)));
      // category_window: no two neighbours share a category.
      for (let i = 1; i < ids.length; i++) expect(categoryOf.get(ids[i])).not.toBe(categoryOf.get(ids[i - 1]));
      // The bury rule halved b1's score; the others keep theirs (freshness is off).
      expect(response.reranked_items.find((item) => item.item_id === 'b1')?.score).toBeCloseTo(0.475, 5);
      expect(response.reranked_items.find((item) => item.item_id === 's1')?.score).toBeCloseTo(0.9, 5);
      expect(response.count).toBe(5);
    });

    it("adds the request's rules to the scenario's: pin, filter, boost, and diversity switched off", async () => {
      const { response } = await rerank({
        ranked_items: [...ranked, { item_id: 'ghost', score: 0.5 }, { item_id: 's1', score: 0.1 }],
        rules: [
          { name: 'diversity', params: { enabled: false } },
          { name: 'pin', params: { item_ids: ['s3'], position: 0 } },
          { name: 'filter', params: { item_ids: ['h1'] } },
          { name: 'boost', params: { condition: { field: 'category', op: 'eq', value: 'bags' }, factor: 4 } },
        ],
      });
      // b1: 0.95 × 0.5 (scenario's bury) × 4 (boost) = 1.9; s3 pinned first; h1 filtered out.
      expect(response.reranked_items.map((item) => item.item_id)).toEqual(['s3', 'b1', 's1', 's2']);
      expect(response.reranked_items.map((item) => item.score)).toEqual([0.7, 1.9, 0.9, 0.8].map((score) => expect.closeTo(score, 5)));
      expect(response.debug_info).toMatchObject({ filtered: ['h1'], dropped: ['ghost', 's1'] });
    });

    it('names the bad field of a rerank request', async () => {
      expect(fieldsOf(await failure(rerank({ ranked_items: ranked, rules: [{ name: 'diversity', params: { lambda: 2 } }] })))).toEqual(['rules.0.params.lambda']);
      expect(fieldsOf(await failure(rerank({ ranked_items: ranked, rules: [{ name: 'teleport', params: {} }] })))).toEqual(['rules.0.name']);
      expect(fieldsOf(await failure(rerank({ ranked_items: ranked, rules: [{ name: 'freshness', params: {} }, { name: 'boost', params: { factor: -1 } }] })))).toEqual([
        'rules.1.params.factor',
      ]);
      expect(fieldsOf(await failure(rerank({ ranked_items: [] })))).toEqual(['ranked_items']);
    });
  });

  describe('ModelService: a trained model from deployment to deletion', () => {
    const completed = (jobId: string) =>
      eventually(
        async () => {
          const job = await unary(c.models.getTrainingStatus.bind(c.models), recommender.GetTrainingStatusRequest.fromPartial({ job_id: jobId }), auth);
          expect([job.response.status?.status, job.response.status?.error_message]).toEqual(['completed', '']);
        },
        90_000,
        200,
      );

    it('trains and deploys ALS, refuses to delete it while deployed, archives it, then deletes it', async () => {
      const trained = await unary(
        c.models.trainModel.bind(c.models),
        recommender.TrainModelRequest.fromPartial({ model_id: 'shop.als', training_config: { scenario_id: 'shop', algorithm: 'als', params: { factors: 4, iterations: 3 } } }),
        auth,
      );
      await completed(trained.response.job_id);
      const deployed = await unary(c.models.getModel.bind(c.models), recommender.GetModelRequest.fromPartial({ model_id: 'shop.als' }), auth);
      expect(deployed.response.model).toMatchObject({ status: ModelStatus.MODEL_STATUS_DEPLOYED, version: 'v1' });

      // The deployed model serves recall through the registry's `als` strategy (on data this small it may find
      // nothing with a positive score, so only where its candidates come from is asserted).
      const recalled = await multiRecall({ user_id: 'u2', strategies: [{ name: 'als', weight: 1, limit: 10, params: {} }] });
      expect(recalled.response.debug_info).toMatchObject({ strategies: ['als'], failures: {} });
      for (const candidate of recalled.response.candidates) expect(candidate.strategy).toBe('als');
      // u2's own clicks are seen, so never recalled.
      expect(recalled.response.item_ids.filter((id) => ['s1', 'h1', 's2'].includes(id))).toEqual([]);

      const refused = await failure(unary(c.models.deleteModel.bind(c.models), recommender.DeleteModelRequest.fromPartial({ model_id: 'shop.als' }), auth));
      expect(refused.code).toBe(status.FAILED_PRECONDITION);
      expect(refused.details).toContain('deployed');

      const archived = await unary(c.models.updateModel.bind(c.models), recommender.UpdateModelRequest.fromPartial({ model_id: 'shop.als', status: ModelStatus.MODEL_STATUS_ARCHIVED }), auth);
      expect(archived.response.model).toMatchObject({ status: ModelStatus.MODEL_STATUS_ARCHIVED, version: 'v1' });
      const algorithmChange = await failure(unary(c.models.updateModel.bind(c.models), recommender.UpdateModelRequest.fromPartial({ model_id: 'shop.als', algorithm: 'bpr' }), auth));
      expect(algorithmChange.code).toBe(status.FAILED_PRECONDITION);

      const deleted = await unary(c.models.deleteModel.bind(c.models), recommender.DeleteModelRequest.fromPartial({ model_id: 'shop.als' }), auth);
      expect(deleted.response.success).toBe(true);
      expect((await failure(unary(c.models.getModel.bind(c.models), recommender.GetModelRequest.fromPartial({ model_id: 'shop.als' }), auth))).code).toBe(status.NOT_FOUND);
      // A new run starts the model over: v1 again, as nothing of the deleted one is left.
      const retrained = await unary(
        c.models.trainModel.bind(c.models),
        recommender.TrainModelRequest.fromPartial({ model_id: 'shop.als', training_config: { scenario_id: 'shop', algorithm: 'als', params: { factors: 4, iterations: 3 }, deploy: false } }),
        auth,
      );
      await completed(retrained.response.job_id);
      const fresh = await unary(c.models.getModel.bind(c.models), recommender.GetModelRequest.fromPartial({ model_id: 'shop.als' }), auth);
      expect(fresh.response.model).toMatchObject({ status: ModelStatus.MODEL_STATUS_TRAINED, version: 'v1' });
    });
  });
});
