import { status, type ServiceError } from '@grpc/grpc-js';
import { recommender } from '@lemo/contracts';
import { errorDetailsOf } from './call/grpc-errors';
import { closeAll, createGrpcTestApp, failure, recommenderClients, unary, type GrpcTestApp, type RecommenderClients } from './e2e/grpc-test-app';

// Generous: on the cluster profile the app boots against every real server, slowly on a busy machine.
jest.setTimeout(120_000);

const API_KEY_PORT = 10975;
const GATEWAY_PORT = 10976;
const { ActionType } = recommender;

const fieldsOf = (error: ServiceError) => [...new Set(errorDetailsOf(error.metadata).map((detail) => detail.field))];

/** Tenant alpha's data: one scenario, one item, one user with events. Beta must reach none of it. */
async function seedAlpha(c: RecommenderClients, alpha: Record<string, string>): Promise<void> {
  await unary(c.scenarios.createScenario.bind(c.scenarios), recommender.CreateScenarioRequest.fromPartial({ scenario_id: 'shop', name: 'Alpha shop', scenario_type: 'ecommerce' }), alpha);
  await unary(c.items.createItem.bind(c.items), recommender.CreateItemRequest.fromPartial({ scenario_id: 'shop', item_id: 'secret_item', metadata: { title: 'ALPHA_SECRET' } }), alpha);
  await unary(
    c.behaviors.trackEvent.bind(c.behaviors),
    recommender.TrackEventRequest.fromPartial({ event: { scenario_id: 'shop', user_id: 'secret_user', item_id: 'secret_item', action_type: ActionType.ACTION_TYPE_LIKE } }),
    alpha,
  );
}

describe('gRPC tenant isolation (API keys)', () => {
  let t: GrpcTestApp;
  let c: RecommenderClients;
  let alpha: Record<string, string>;
  let beta: Record<string, string>;

  beforeAll(async () => {
    t = await createGrpcTestApp(API_KEY_PORT);
    c = recommenderClients(t.address);
    alpha = { 'x-api-key': (await t.tenant('alpha')).apiKey };
    beta = { 'x-api-key': (await t.tenant('beta')).apiKey };
    await seedAlpha(c, alpha);
  });

  afterAll(async () => {
    if (c) closeAll(c);
    await t?.close();
  });

  it("does not find the other tenant's resources by id", async () => {
    const notFound = [
      unary(c.scenarios.getScenario.bind(c.scenarios), recommender.GetScenarioRequest.fromPartial({ scenario_id: 'shop' }), beta),
      unary(c.items.getItem.bind(c.items), recommender.GetItemRequest.fromPartial({ scenario_id: 'shop', item_id: 'secret_item' }), beta),
      unary(c.items.listItems.bind(c.items), recommender.ListItemsRequest.fromPartial({ scenario_id: 'shop' }), beta),
      unary(c.items.searchItems.bind(c.items), recommender.SearchItemsRequest.fromPartial({ scenario_id: 'shop', query: 'ALPHA_SECRET' }), beta),
      unary(c.users.getUserProfile.bind(c.users), recommender.GetUserProfileRequest.fromPartial({ user_id: 'secret_user' }), beta),
      unary(c.users.getUserRealtimeFeatures.bind(c.users), recommender.GetUserRealtimeFeaturesRequest.fromPartial({ user_id: 'secret_user' }), beta),
      unary(c.recommendations.getRecommendations.bind(c.recommendations), recommender.GetRecommendationsRequest.fromPartial({ scenario_id: 'shop', user_id: 'secret_user' }), beta),
      unary(c.items.deleteItem.bind(c.items), recommender.DeleteItemRequest.fromPartial({ scenario_id: 'shop', item_id: 'secret_item' }), beta),
      unary(c.scenarios.deleteScenario.bind(c.scenarios), recommender.DeleteScenarioRequest.fromPartial({ scenario_id: 'shop' }), beta),
    ];
    // Every call's failure is awaited from the start: one that fails first is not an unhandled rejection.
    for (const pending of notFound.map(failure)) expect((await pending).code).toBe(status.NOT_FOUND);
    const listed = await unary(c.scenarios.listScenarios.bind(c.scenarios), recommender.ListScenariosRequest.fromPartial({}), beta);
    expect(listed.response.scenarios).toEqual([]);
    const profiles = await unary(c.users.batchGetUserProfiles.bind(c.users), recommender.BatchGetUserProfilesRequest.fromPartial({ user_ids: ['secret_user'] }), beta);
    expect(profiles.response.profiles).toEqual([]);
  });

  it("refuses a tenant_id that is not the caller's, naming the field", async () => {
    const asAlpha = [
      unary(c.scenarios.getScenario.bind(c.scenarios), recommender.GetScenarioRequest.fromPartial({ tenant_id: 'alpha', scenario_id: 'shop' }), beta),
      unary(c.scenarios.listScenarios.bind(c.scenarios), recommender.ListScenariosRequest.fromPartial({ tenant_id: 'alpha' }), beta),
      unary(c.items.createItem.bind(c.items), recommender.CreateItemRequest.fromPartial({ tenant_id: 'alpha', scenario_id: 'shop', item_id: 'planted' }), beta),
      unary(c.recommendations.getRecommendations.bind(c.recommendations), recommender.GetRecommendationsRequest.fromPartial({ tenant_id: 'alpha', scenario_id: 'shop' }), beta),
      unary(c.users.updateUserProfile.bind(c.users), recommender.UpdateUserProfileRequest.fromPartial({ tenant_id: 'alpha', user_id: 'secret_user' }), beta),
    ];
    for (const pending of asAlpha.map(failure)) {
      const error = await pending;
      expect(error.code).toBe(status.PERMISSION_DENIED);
      expect(fieldsOf(error)).toEqual(['tenant_id']);
    }
    const event = { scenario_id: 'shop', user_id: 'secret_user', item_id: 'secret_item', action_type: ActionType.ACTION_TYPE_CLICK };
    const single = await failure(unary(c.behaviors.trackEvent.bind(c.behaviors), recommender.TrackEventRequest.fromPartial({ event: { ...event, tenant_id: 'alpha' } }), beta));
    expect(fieldsOf(single)).toEqual(['event.tenant_id']);
    const batch = await failure(unary(c.behaviors.trackBatch.bind(c.behaviors), recommender.TrackBatchRequest.fromPartial({ events: [event, { ...event, tenant_id: 'alpha' }] }), beta));
    expect(batch.code).toBe(status.PERMISSION_DENIED);
    expect(fieldsOf(batch)).toEqual(['events.1.tenant_id']);
  });

  describe('the registry, datasets, templates and engine stages', () => {
    let datasetId: string;

    beforeAll(async () => {
      const dataset = await unary(c.datasets.createDataset.bind(c.datasets), recommender.CreateDatasetRequest.fromPartial({ name: 'ALPHA_SECRET', path: '/alpha/clicks.csv' }), alpha);
      datasetId = dataset.response.dataset?.dataset_id ?? '';
      await unary(
        c.models.createModel.bind(c.models),
        recommender.CreateModelRequest.fromPartial({ model_id: 'shop.lr', name: 'ALPHA_SECRET', model_type: recommender.ModelType.MODEL_TYPE_RANK, algorithm: 'lr' }),
        alpha,
      );
      await unary(c.templates.createTemplate.bind(c.templates), recommender.CreateTemplateRequest.fromPartial({ template_id: 'alpha-tpl', name: 'ALPHA_SECRET', scenario_types: ['news'] }), alpha);
      // Beta has a scenario of the same id, with no items: alpha's item ids mean nothing there.
      await unary(c.scenarios.createScenario.bind(c.scenarios), recommender.CreateScenarioRequest.fromPartial({ scenario_id: 'shop', name: 'Beta shop', scenario_type: 'ecommerce' }), beta);
    });

    it("does not find, change or delete alpha's datasets, models and templates", async () => {
      const notFound = [
        unary(c.datasets.getDataset.bind(c.datasets), recommender.GetDatasetRequest.fromPartial({ dataset_id: datasetId }), beta),
        unary(c.datasets.deleteDataset.bind(c.datasets), recommender.DeleteDatasetRequest.fromPartial({ dataset_id: datasetId }), beta),
        unary(c.models.getModel.bind(c.models), recommender.GetModelRequest.fromPartial({ model_id: 'shop.lr' }), beta),
        unary(c.models.updateModel.bind(c.models), recommender.UpdateModelRequest.fromPartial({ model_id: 'shop.lr', name: 'mine' }), beta),
        unary(c.models.deleteModel.bind(c.models), recommender.DeleteModelRequest.fromPartial({ model_id: 'shop.lr' }), beta),
        unary(c.templates.updateTemplate.bind(c.templates), recommender.UpdateTemplateRequest.fromPartial({ template_id: 'alpha-tpl', name: 'mine' }), beta),
      ];
      // Every call's failure is awaited from the start: one that fails first is not an unhandled rejection.
      for (const pending of notFound.map(failure)) expect((await pending).code).toBe(status.NOT_FOUND);
      const datasets = await unary(c.datasets.listDatasets.bind(c.datasets), recommender.ListDatasetsRequest.fromPartial({}), beta);
      expect(datasets.response).toEqual({ items: [], total: 0 });
      const models = await unary(c.models.listModels.bind(c.models), recommender.ListModelsRequest.fromPartial({}), beta);
      expect(models.response.models).toEqual([]);

      const dataset = await unary(c.datasets.getDataset.bind(c.datasets), recommender.GetDatasetRequest.fromPartial({ dataset_id: datasetId }), alpha);
      expect(dataset.response.dataset?.name).toBe('ALPHA_SECRET');
      const model = await unary(c.models.getModel.bind(c.models), recommender.GetModelRequest.fromPartial({ model_id: 'shop.lr' }), alpha);
      expect(model.response.model?.name).toBe('ALPHA_SECRET');
      const template = await unary(c.templates.getTemplate.bind(c.templates), recommender.GetTemplateRequest.fromPartial({ template_id: 'alpha-tpl' }), alpha);
      expect(template.response.template?.name).toBe('ALPHA_SECRET');
    });

    it("never recalls, ranks or reranks alpha's items for beta", async () => {
      const recalled = await unary(c.recall.multiRecall.bind(c.recall), recommender.MultiRecallRequest.fromPartial({ scenario_id: 'shop', user_id: 'secret_user' }), beta);
      expect(recalled.response.item_ids).toEqual([]);
      const ranked = await unary(c.ranking.rank.bind(c.ranking), recommender.RankRequest.fromPartial({ scenario_id: 'shop', item_ids: ['secret_item'] }), beta);
      expect(ranked.response).toMatchObject({ ranked_items: [], count: 0, debug_info: { dropped: ['secret_item'] } });
      const reranked = await unary(c.reranking.rerank.bind(c.reranking), recommender.RerankRequest.fromPartial({ scenario_id: 'shop', ranked_items: [{ item_id: 'secret_item', score: 1 }] }), beta);
      expect(reranked.response).toMatchObject({ reranked_items: [], count: 0, debug_info: { dropped: ['secret_item'] } });
      // Alpha's own call finds it.
      const own = await unary(c.ranking.rank.bind(c.ranking), recommender.RankRequest.fromPartial({ scenario_id: 'shop', item_ids: ['secret_item'] }), alpha);
      expect(own.response.ranked_items.map((item) => item.item_id)).toEqual(['secret_item']);
    });

    it("refuses alpha's tenant_id on every new RPC, naming the field", async () => {
      const asAlpha = [
        unary(c.datasets.createDataset.bind(c.datasets), recommender.CreateDatasetRequest.fromPartial({ tenant_id: 'alpha', name: 'planted', path: '/x' }), beta),
        unary(c.datasets.listDatasets.bind(c.datasets), recommender.ListDatasetsRequest.fromPartial({ tenant_id: 'alpha' }), beta),
        unary(c.datasets.getDataset.bind(c.datasets), recommender.GetDatasetRequest.fromPartial({ tenant_id: 'alpha', dataset_id: datasetId }), beta),
        unary(c.datasets.deleteDataset.bind(c.datasets), recommender.DeleteDatasetRequest.fromPartial({ tenant_id: 'alpha', dataset_id: datasetId }), beta),
        unary(
          c.models.createModel.bind(c.models),
          recommender.CreateModelRequest.fromPartial({ tenant_id: 'alpha', model_id: 'planted', name: 'P', model_type: recommender.ModelType.MODEL_TYPE_RANK, algorithm: 'lr' }),
          beta,
        ),
        unary(c.models.updateModel.bind(c.models), recommender.UpdateModelRequest.fromPartial({ tenant_id: 'alpha', model_id: 'shop.lr', name: 'mine' }), beta),
        unary(c.models.deleteModel.bind(c.models), recommender.DeleteModelRequest.fromPartial({ tenant_id: 'alpha', model_id: 'shop.lr' }), beta),
        unary(c.recall.multiRecall.bind(c.recall), recommender.MultiRecallRequest.fromPartial({ tenant_id: 'alpha', scenario_id: 'shop' }), beta),
        unary(c.ranking.rank.bind(c.ranking), recommender.RankRequest.fromPartial({ tenant_id: 'alpha', scenario_id: 'shop', item_ids: ['secret_item'] }), beta),
        unary(c.reranking.rerank.bind(c.reranking), recommender.RerankRequest.fromPartial({ tenant_id: 'alpha', scenario_id: 'shop', ranked_items: [{ item_id: 'secret_item', score: 1 }] }), beta),
      ];
      for (const pending of asAlpha.map(failure)) {
        const error = await pending;
        expect(error.code).toBe(status.PERMISSION_DENIED);
        expect(fieldsOf(error)).toEqual(['tenant_id']);
      }
      const still = await unary(c.datasets.listDatasets.bind(c.datasets), recommender.ListDatasetsRequest.fromPartial({ tenant_id: 'alpha' }), alpha);
      expect(still.response.items.map((dataset) => dataset.name)).toEqual(['ALPHA_SECRET']);
    });
  });

  it("accepts the caller's own tenant_id, and alpha's data is untouched", async () => {
    const own = await unary(c.scenarios.listScenarios.bind(c.scenarios), recommender.ListScenariosRequest.fromPartial({ tenant_id: 'alpha' }), alpha);
    expect(own.response.scenarios.map((s) => s.scenario_id)).toEqual(['shop']);
    const item = await unary(c.items.getItem.bind(c.items), recommender.GetItemRequest.fromPartial({ scenario_id: 'shop', item_id: 'secret_item' }), alpha);
    expect(item.response.item?.status).toBe('active');
  });

  it('requires a valid key with the scope REST requires', async () => {
    const anonymous = await failure(unary(c.scenarios.listScenarios.bind(c.scenarios), recommender.ListScenariosRequest.fromPartial({}), {}));
    expect(anonymous.code).toBe(status.UNAUTHENTICATED);
    const forged = await failure(unary(c.scenarios.listScenarios.bind(c.scenarios), recommender.ListScenariosRequest.fromPartial({}), { 'x-api-key': 'lemo_not_a_real_key' }));
    expect(forged.code).toBe(status.UNAUTHENTICATED);

    const reader = { 'x-api-key': await t.apiKey('alpha', ['read']) };
    const readable = await unary(c.scenarios.getScenario.bind(c.scenarios), recommender.GetScenarioRequest.fromPartial({ scenario_id: 'shop' }), reader);
    expect(readable.response.scenario?.scenario_id).toBe('shop');
    const write = await failure(unary(c.items.deleteItem.bind(c.items), recommender.DeleteItemRequest.fromPartial({ scenario_id: 'shop', item_id: 'secret_item' }), reader));
    expect(write.code).toBe(status.PERMISSION_DENIED);

    const writer = { 'x-api-key': await t.apiKey('alpha', ['write']) };
    const admin = await failure(unary(c.scenarios.createScenario.bind(c.scenarios), recommender.CreateScenarioRequest.fromPartial({ scenario_id: 'x', name: 'X', scenario_type: 'news' }), writer));
    expect(admin.code).toBe(status.PERMISSION_DENIED);
  });
});

describe('gRPC tenant isolation (gateway mode)', () => {
  let t: GrpcTestApp;
  let c: RecommenderClients;

  beforeAll(async () => {
    t = await createGrpcTestApp(GATEWAY_PORT, { AUTH_MODE: 'gateway' });
    c = recommenderClients(t.address);
    await t.tenant('alpha');
    await t.tenant('beta');
    await seedAlpha(c, { 'x-tenant-id': 'alpha' });
  });

  afterAll(async () => {
    if (c) closeAll(c);
    await t?.close();
  });

  it('takes the tenant from x-tenant-id and keeps tenants apart', async () => {
    const own = await unary(c.scenarios.getScenario.bind(c.scenarios), recommender.GetScenarioRequest.fromPartial({ scenario_id: 'shop' }), { 'x-tenant-id': 'alpha' });
    expect(own.response.scenario?.tenant_id).toBe('alpha');
    const other = await failure(unary(c.scenarios.getScenario.bind(c.scenarios), recommender.GetScenarioRequest.fromPartial({ scenario_id: 'shop' }), { 'x-tenant-id': 'beta' }));
    expect(other.code).toBe(status.NOT_FOUND);
    const crossed = await failure(unary(c.scenarios.getScenario.bind(c.scenarios), recommender.GetScenarioRequest.fromPartial({ tenant_id: 'alpha', scenario_id: 'shop' }), { 'x-tenant-id': 'beta' }));
    expect(crossed.code).toBe(status.PERMISSION_DENIED);
  });

  it('refuses calls without a known tenant', async () => {
    const missing = await failure(unary(c.scenarios.listScenarios.bind(c.scenarios), recommender.ListScenariosRequest.fromPartial({}), {}));
    expect(missing.code).toBe(status.UNAUTHENTICATED);
    const unknown = await failure(unary(c.scenarios.listScenarios.bind(c.scenarios), recommender.ListScenariosRequest.fromPartial({}), { 'x-tenant-id': 'gamma' }));
    expect(unknown.code).toBe(status.PERMISSION_DENIED);
  });
});
