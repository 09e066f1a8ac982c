import { credentials, loadPackageDefinition, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { join } from 'node:path';
import { recommender, recommenderCommon } from '@lemo/contracts';
import { errorDetailsOf } from './call/grpc-errors';
import { closeAll, createGrpcTestApp, failure, recommenderClients, unary, type GrpcTestApp, type RecommenderClients } from './e2e/grpc-test-app';

// Generous: on the cluster profile the app boots against every real server, slowly on a busy machine.
jest.setTimeout(120_000);

const PORT = 10974;
const { ActionType, DeviceType } = recommender;

/** The fields the ErrorDetails of a failed call name (one field may have several problems). */
const fieldsOf = (error: ServiceError) => [...new Set(errorDetailsOf(error.metadata).map((detail) => detail.field))];

describe('lemo.recommender.v1 over gRPC', () => {
  let t: GrpcTestApp;
  let c: RecommenderClients;
  let auth: Record<string, string>;

  beforeAll(async () => {
    t = await createGrpcTestApp(PORT);
    auth = { 'x-api-key': (await t.tenant('acme')).apiKey };
    c = recommenderClients(t.address);
  });

  afterAll(async () => {
    if (c) closeAll(c);
    await t?.close();
  });

  const createScenario = (partial: Partial<recommender.CreateScenarioRequest>) =>
    unary(c.scenarios.createScenario.bind(c.scenarios), recommender.CreateScenarioRequest.fromPartial(partial), auth);

  describe('ScenarioService', () => {
    it('creates, reads, lists, updates, changes status and deletes scenarios', async () => {
      const created = await createScenario({ scenario_id: 'shop', name: 'Shop', scenario_type: 'ecommerce', description: 'the shop', config: { recall: { total_limit: 400 } } });
      expect(created.response.scenario).toMatchObject({ tenant_id: 'acme', scenario_id: 'shop', scenario_type: 'ecommerce', status: 'active' });
      expect(created.response.scenario?.config?.recall.total_limit).toBe(400);
      expect(created.response.scenario?.created_at).toBeInstanceOf(Date);

      const got = await unary(c.scenarios.getScenario.bind(c.scenarios), recommender.GetScenarioRequest.fromPartial({ scenario_id: 'shop' }), auth);
      expect(got.response.scenario?.name).toBe('Shop');

      await createScenario({ scenario_id: 'scratch', name: 'Scratch', scenario_type: 'news' });
      const listed = await unary(c.scenarios.listScenarios.bind(c.scenarios), recommender.ListScenariosRequest.fromPartial({ scenario_type: 'news', page: { page: 1, page_size: 10 } }), auth);
      expect(listed.response.scenarios.map((s) => s.scenario_id)).toEqual(['scratch']);
      expect(listed.response.page_info).toMatchObject({ page: 1, page_size: 10, total: 1, total_pages: 1, has_next: false });

      const updated = await unary(c.scenarios.updateScenario.bind(c.scenarios), recommender.UpdateScenarioRequest.fromPartial({ scenario_id: 'scratch', name: 'Renamed' }), auth);
      expect(updated.response.scenario).toMatchObject({ name: 'Renamed', scenario_type: 'news' });

      const paused = await unary(c.scenarios.updateScenarioStatus.bind(c.scenarios), recommender.UpdateScenarioStatusRequest.fromPartial({ scenario_id: 'scratch', status: 'inactive' }), auth);
      expect(paused.response.scenario?.status).toBe('inactive');

      const deleted = await unary(c.scenarios.deleteScenario.bind(c.scenarios), recommender.DeleteScenarioRequest.fromPartial({ scenario_id: 'scratch' }), auth);
      expect(deleted.response.success).toBe(true);
      const gone = await failure(unary(c.scenarios.getScenario.bind(c.scenarios), recommender.GetScenarioRequest.fromPartial({ scenario_id: 'scratch' }), auth));
      expect(gone.code).toBe(status.NOT_FOUND);
    });

    it('rejects bad input with INVALID_ARGUMENT naming the field, in the message and in ErrorDetail', async () => {
      const error = await failure(createScenario({ scenario_id: 'bad', name: 'Bad', scenario_type: 'spaceship' }));
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      expect(error.details).toContain('scenario_type');
      const [detail] = errorDetailsOf(error.metadata);
      expect(detail).toMatchObject({ code: recommenderCommon.ErrorCode.ERROR_CODE_INVALID_ARGUMENT, field: 'scenario_type' });

      const badStatus = await failure(unary(c.scenarios.updateScenarioStatus.bind(c.scenarios), recommender.UpdateScenarioStatusRequest.fromPartial({ scenario_id: 'shop', status: 'paused' }), auth));
      expect(badStatus.code).toBe(status.INVALID_ARGUMENT);
      expect(fieldsOf(badStatus)).toEqual(['status']);

      const badPage = await failure(unary(c.scenarios.listScenarios.bind(c.scenarios), recommender.ListScenariosRequest.fromPartial({ page: { page: -1 } }), auth));
      expect(fieldsOf(badPage)).toEqual(['page.page']);
    });

    it('maps domain errors: ALREADY_EXISTS, NOT_FOUND, invalid scenario config', async () => {
      const duplicate = await failure(createScenario({ scenario_id: 'shop', name: 'Again', scenario_type: 'ecommerce' }));
      expect(duplicate.code).toBe(status.ALREADY_EXISTS);
      expect(errorDetailsOf(duplicate.metadata)[0].code).toBe(recommenderCommon.ErrorCode.ERROR_CODE_ALREADY_EXISTS);

      const badConfig = await failure(createScenario({ scenario_id: 'odd', name: 'Odd', scenario_type: 'news', config: { recall: { strategies: [{ name: 'no_such_strategy', weight: 1, limit: 10 }] } } }));
      expect(badConfig.code).toBe(status.INVALID_ARGUMENT);
      expect(errorDetailsOf(badConfig.metadata)[0].code).toBe(recommenderCommon.ErrorCode.ERROR_CODE_INVALID_SCENARIO_CONFIG);
    });
  });

  describe('ItemService', () => {
    const items = [
      { item_id: 'red_shoe', metadata: { title: 'Red running shoe', category: 'shoes', tags: ['red', 'running'], price: 80 }, embedding: [] },
      { item_id: 'blue_shoe', metadata: { title: 'Blue shoe', category: 'shoes', tags: ['blue'] }, embedding: [] },
      { item_id: 'red_hat', metadata: { title: 'Red hat', category: 'hats', tags: ['red'] }, embedding: [] },
      { item_id: 'green_hat', metadata: { title: 'Green hat', category: 'hats' }, embedding: [] },
    ];

    it('creates one item and batch-creates the rest, reporting each failure by index', async () => {
      const one = await unary(c.items.createItem.bind(c.items), recommender.CreateItemRequest.fromPartial({ scenario_id: 'shop', ...items[0] }), auth);
      expect(one.response.item).toMatchObject({ item_id: 'red_shoe', scenario_id: 'shop', status: 'active' });
      expect(one.response.item?.metadata).toEqual(items[0].metadata);

      const batch = await unary(
        c.items.batchCreateItems.bind(c.items),
        recommender.BatchCreateItemsRequest.fromPartial({ scenario_id: 'shop', items: [...items.slice(1), { item_id: '', metadata: {} }] }),
        auth,
      );
      expect(batch.response).toMatchObject({ success_count: 3, failed_count: 1 });
      expect(batch.response.items.map((item) => item.item_id)).toEqual(['blue_shoe', 'red_hat', 'green_hat']);
      expect(batch.response.errors).toEqual([expect.stringContaining('items.3.item_id')]);
    });

    it('gets, lists, updates (metadata merged) and searches items', async () => {
      const got = await unary(c.items.getItem.bind(c.items), recommender.GetItemRequest.fromPartial({ scenario_id: 'shop', item_id: 'blue_shoe' }), auth);
      expect(got.response.item?.metadata).toMatchObject({ title: 'Blue shoe' });

      const listed = await unary(c.items.listItems.bind(c.items), recommender.ListItemsRequest.fromPartial({ scenario_id: 'shop', status: 'active', page: { page: 1, page_size: 3 } }), auth);
      expect(listed.response.items).toHaveLength(3);
      expect(listed.response.page_info).toMatchObject({ total: 4, total_pages: 2, has_next: true });

      const updated = await unary(c.items.updateItem.bind(c.items), recommender.UpdateItemRequest.fromPartial({ scenario_id: 'shop', item_id: 'blue_shoe', metadata: { price: 50 } }), auth);
      expect(updated.response.item?.metadata).toMatchObject({ title: 'Blue shoe', price: 50 });

      const found = await unary(c.items.searchItems.bind(c.items), recommender.SearchItemsRequest.fromPartial({ scenario_id: 'shop', query: 'red' }), auth);
      expect(found.response.items.map((item) => item.item_id).sort()).toEqual(['red_hat', 'red_shoe']);
    });

    it('names the bad field of an item', async () => {
      const badEmbedding = await failure(unary(c.items.createItem.bind(c.items), recommender.CreateItemRequest.fromPartial({ scenario_id: 'shop', item_id: 'x1', embedding: [1, 2, 3] }), auth));
      expect(badEmbedding.code).toBe(status.INVALID_ARGUMENT);
      expect(fieldsOf(badEmbedding)).toEqual(['embedding']);

      const badStatus = await failure(unary(c.items.updateItem.bind(c.items), recommender.UpdateItemRequest.fromPartial({ scenario_id: 'shop', item_id: 'red_hat', status: 'gone' }), auth));
      expect(fieldsOf(badStatus)).toEqual(['status']);

      const noQuery = await failure(unary(c.items.searchItems.bind(c.items), recommender.SearchItemsRequest.fromPartial({ scenario_id: 'shop', query: ' ' }), auth));
      expect(fieldsOf(noQuery)).toEqual(['query']);

      const noScenario = await failure(unary(c.items.getItem.bind(c.items), recommender.GetItemRequest.fromPartial({ item_id: 'red_hat' }), auth));
      expect(noScenario.code).toBe(status.INVALID_ARGUMENT);
      expect(fieldsOf(noScenario)).toEqual(['scenario_id']);

      const unknownScenario = await failure(unary(c.items.listItems.bind(c.items), recommender.ListItemsRequest.fromPartial({ scenario_id: 'nowhere' }), auth));
      expect(unknownScenario.code).toBe(status.NOT_FOUND);
    });
  });

  describe('BehaviorService', () => {
    const event = (partial: Parameters<typeof recommender.BehaviorEvent.fromPartial>[0]) => recommender.BehaviorEvent.fromPartial({ scenario_id: 'shop', user_id: 'u1', action_type: ActionType.ACTION_TYPE_CLICK, ...partial });

    it('tracks one event with scenario data, idempotently by event_id', async () => {
      const request = recommender.TrackEventRequest.fromPartial({
        event: event({
          event_id: 'evt-1',
          item_id: 'red_shoe',
          action_type: ActionType.ACTION_TYPE_ADD_CART,
          context: { device_type: DeviceType.DEVICE_TYPE_MOBILE, os: 'android' },
          scenario_data: { ecommerce_data: { price: 80, currency: 'EUR', quantity: 1, product_tags: ['red'] } },
          extra_data: { campaign: 'spring' },
        }),
      });
      const first = await unary(c.behaviors.trackEvent.bind(c.behaviors), request, auth);
      expect(first.response).toEqual({ success: true, event_id: 'evt-1', message: 'accepted' });
      const retried = await unary(c.behaviors.trackEvent.bind(c.behaviors), request, auth);
      expect(retried.response.message).toBe('duplicate');
    });

    it('tracks a batch with every scenario payload, reporting rejected events by index and field', async () => {
      const events = [
        event({ item_id: 'red_shoe', action_type: ActionType.ACTION_TYPE_PLAY, scenario_data: { video_data: { duration: 120, watch_duration: 60, completion_rate: 0.5, seek_positions: [10, 20] } } }),
        event({ item_id: 'red_hat', action_type: ActionType.ACTION_TYPE_READ, scenario_data: { news_data: { read_duration: 30, read_progress: 0.25, keywords: ['hat'] } } }),
        event({ item_id: 'red_hat', user_id: 'u2', action_type: ActionType.ACTION_TYPE_PLAY_END, scenario_data: { music_data: { duration: 200, genre: 'pop' } } }),
        event({ item_id: 'red_shoe', user_id: 'u2', action_type: ActionType.ACTION_TYPE_COMPLETE, scenario_data: { education_data: { course_id: 'c1', progress: 1 } } }),
        event({ item_id: 'blue_shoe', user_id: 'u2', action_type: ActionType.ACTION_TYPE_LIKE, scenario_data: { custom_data: { mood: 'happy' } } }),
        event({ item_id: 'blue_shoe', action_type: ActionType.ACTION_TYPE_UNSPECIFIED }),
      ];
      const batch = await unary(c.behaviors.trackBatch.bind(c.behaviors), recommender.TrackBatchRequest.fromPartial({ events }), auth);
      expect(batch.response).toMatchObject({ success: false, total: 6, succeeded: 5, failed: 1 });
      expect(batch.response.errors).toEqual([expect.stringMatching(/^events\.5\.action_type: /)]);
    });

    it('rejects a bad single event naming the field under `event`', async () => {
      const error = await failure(
        unary(c.behaviors.trackEvent.bind(c.behaviors), recommender.TrackEventRequest.fromPartial({ event: event({ item_id: 'red_shoe', scenario_data: { video_data: { completion_rate: 2 } } }) }), auth),
      );
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      expect(fieldsOf(error)).toEqual(['event.scenario_data.video_data.completion_rate']);

      const noItem = await failure(unary(c.behaviors.trackEvent.bind(c.behaviors), recommender.TrackEventRequest.fromPartial({ event: event({}) }), auth));
      expect(fieldsOf(noItem)).toEqual(['event.item_id']);
    });

    it('reports the counts of this process and its health', async () => {
      const stats = await unary(c.behaviors.getStats.bind(c.behaviors), recommender.GetStatsRequest.fromPartial({}), auth);
      expect(stats.response).toMatchObject({ total_events: 10, kafka_success: 6, kafka_failed: 0, rejected: 3 });
      const health = await unary(c.behaviors.healthCheck.bind(c.behaviors), recommender.HealthCheckRequest.fromPartial({}), auth);
      // Kafka is the event bus on the cluster profile only.
      expect(health.response).toMatchObject({ status: 'ok', kafka_available: t.profile === 'cluster' });
      expect(health.response.stats?.total_events).toBe(10);
    });
  });

  describe('RecommendationService', () => {
    it('recommends from the tracked events, with filters and debug info', async () => {
      const { response } = await unary(
        c.recommendations.getRecommendations.bind(c.recommendations),
        recommender.GetRecommendationsRequest.fromPartial({ scenario_id: 'shop', user_id: 'u3', count: 3, filters: { exclude_ids: ['red_hat'] }, debug: true }),
        auth,
      );
      expect(response.count).toBe(response.items.length);
      expect(response.items.length).toBeGreaterThan(0);
      expect(response.items.map((item) => item.item_id)).not.toContain('red_hat');
      expect(response.items[0].metadata).toHaveProperty('title');
      expect(response.request_id).not.toBe('');
      expect(response.debug_info).toHaveProperty('timings_ms');
    });

    it('rejects a bad count and unknown filter keys', async () => {
      const request = (partial: Partial<recommender.GetRecommendationsRequest>) =>
        unary(c.recommendations.getRecommendations.bind(c.recommendations), recommender.GetRecommendationsRequest.fromPartial({ scenario_id: 'shop', ...partial }), auth);
      expect(fieldsOf(await failure(request({ count: 5000 })))).toEqual(['count']);
      expect(fieldsOf(await failure(request({ filters: { colour: 'red' } })))).toEqual(['filters.colour']);
      expect((await failure(request({ scenario_id: 'nowhere' }))).code).toBe(status.NOT_FOUND);
    });

    it('answers the health checks of the recommendation services', async () => {
      const { response } = await unary(c.recommendations.healthCheck.bind(c.recommendations), recommenderCommon.HealthCheckRequest.fromPartial({}), auth);
      expect(response).toMatchObject({ status: 'ok', service: expect.any(String) });
      expect(response.details).toHaveProperty('checks');
      for (const client of [c.recall, c.ranking, c.reranking]) {
        const health = await unary(client.healthCheck.bind(client), recommenderCommon.HealthCheckRequest.fromPartial({}), auth);
        expect(health.response.status).toBe('ok');
      }
    });
  });

  describe('TemplateService', () => {
    it('lists, gets, creates and deletes templates; system templates stay', async () => {
      const system = await unary(c.templates.listTemplates.bind(c.templates), recommender.ListTemplatesRequest.fromPartial({ is_system: true }), auth);
      expect(system.response.templates).toHaveLength(5);
      const byType = await unary(c.templates.getTemplateByScenarioType.bind(c.templates), recommender.GetTemplateByScenarioTypeRequest.fromPartial({ scenario_type: 'news' }), auth);
      expect(byType.response.template).toMatchObject({ template_id: 'system-news', is_system: true, scenario_types: ['news'] });

      const created = await unary(
        c.templates.createTemplate.bind(c.templates),
        recommender.CreateTemplateRequest.fromPartial({ template_id: 'my-news', name: 'Mine', scenario_types: ['news'], config: { recall: { total_limit: 300 } } }),
        auth,
      );
      expect(created.response.template).toMatchObject({ template_id: 'my-news', is_system: false, creator: 'acme' });
      const mine = await unary(c.templates.listTemplates.bind(c.templates), recommender.ListTemplatesRequest.fromPartial({ is_system: false }), auth);
      expect(mine.response.templates.map((tpl) => tpl.template_id)).toEqual(['my-news']);
      const got = await unary(c.templates.getTemplate.bind(c.templates), recommender.GetTemplateRequest.fromPartial({ template_id: 'my-news' }), auth);
      expect(got.response.template?.config).toMatchObject({ recall: { total_limit: 300 } });
      await unary(c.templates.deleteTemplate.bind(c.templates), recommender.DeleteTemplateRequest.fromPartial({ template_id: 'my-news' }), auth);

      const systemDelete = await failure(unary(c.templates.deleteTemplate.bind(c.templates), recommender.DeleteTemplateRequest.fromPartial({ template_id: 'system-news' }), auth));
      expect(systemDelete.code).toBe(status.FAILED_PRECONDITION);
      const twoTypes = await failure(unary(c.templates.createTemplate.bind(c.templates), recommender.CreateTemplateRequest.fromPartial({ template_id: 't2', name: 'T', scenario_types: ['news', 'music'] }), auth));
      expect(fieldsOf(twoTypes)).toEqual(['scenario_types']);
    });

    it("updates the tenant's templates, merging config, and leaves system templates alone", async () => {
      const update = (partial: Partial<recommender.UpdateTemplateRequest>) => unary(c.templates.updateTemplate.bind(c.templates), recommender.UpdateTemplateRequest.fromPartial(partial), auth);
      await unary(
        c.templates.createTemplate.bind(c.templates),
        recommender.CreateTemplateRequest.fromPartial({ template_id: 'my-music', name: 'Music', description: 'first', scenario_types: ['music'], config: { recall: { total_limit: 300 }, cache_ttl_seconds: 30 } }),
        auth,
      );
      const updated = await update({ template_id: 'my-music', name: 'Music v2', config: { cache_ttl_seconds: 10 } });
      expect(updated.response.template).toMatchObject({ template_id: 'my-music', name: 'Music v2', description: 'first', scenario_types: ['music'], is_system: false });
      // Merged over the stored config: total_limit stays.
      expect(updated.response.template?.config).toEqual({ recall: { total_limit: 300 }, cache_ttl_seconds: 10 });
      const retyped = await update({ template_id: 'my-music', scenario_types: ['vlog'] });
      expect(retyped.response.template).toMatchObject({ name: 'Music v2', scenario_types: ['vlog'] });
      const got = await unary(c.templates.getTemplate.bind(c.templates), recommender.GetTemplateRequest.fromPartial({ template_id: 'my-music' }), auth);
      expect(got.response.template).toMatchObject({ name: 'Music v2', scenario_types: ['vlog'], config: { cache_ttl_seconds: 10 } });
      expect(got.response.template?.updated_at?.getTime()).toBeGreaterThan(got.response.template?.created_at?.getTime() ?? Infinity);

      const system = await failure(update({ template_id: 'system-news', name: 'Mine now' }));
      expect(system.code).toBe(status.FAILED_PRECONDITION);
      const untouched = await unary(c.templates.getTemplate.bind(c.templates), recommender.GetTemplateRequest.fromPartial({ template_id: 'system-news' }), auth);
      expect(untouched.response.template?.name).not.toBe('Mine now');
      const badConfig = await failure(update({ template_id: 'my-music', config: { recall: { strategies: [{ name: 'no_such_strategy', weight: 1, limit: 10 }] } } }));
      expect(errorDetailsOf(badConfig.metadata)[0].code).toBe(recommenderCommon.ErrorCode.ERROR_CODE_INVALID_SCENARIO_CONFIG);
      expect(fieldsOf(await failure(update({ template_id: 'my-music', scenario_types: ['spaceship'] })))).toEqual(['scenario_type']);
      expect(fieldsOf(await failure(update({ template_id: 'my-music', scenario_types: ['news', 'music'] })))).toEqual(['scenario_types']);
      expect((await failure(update({ template_id: 'nope', name: 'X' }))).code).toBe(status.NOT_FOUND);
    });
  });

  describe('UserService', () => {
    it('stores attributes and derives profiles and real-time features from events', async () => {
      const updated = await unary(c.users.updateUserProfile.bind(c.users), recommender.UpdateUserProfileRequest.fromPartial({ scenario_id: 'shop', user_id: 'u2', features: { tier: 'gold' } }), auth);
      expect(updated.response.profile?.features).toMatchObject({ attributes: { tier: 'gold' } });

      const { response } = await unary(c.users.getUserProfile.bind(c.users), recommender.GetUserProfileRequest.fromPartial({ scenario_id: 'shop', user_id: 'u2' }), auth);
      expect(response.profile).toMatchObject({ user_id: 'u2', scenario_id: 'shop', like_count: 1 });
      expect(response.profile?.preferred_categories.length).toBeGreaterThan(0);
      expect(response.profile?.created_at).toBeInstanceOf(Date);

      const batch = await unary(c.users.batchGetUserProfiles.bind(c.users), recommender.BatchGetUserProfilesRequest.fromPartial({ user_ids: ['u1', 'u2', 'nobody'] }), auth);
      expect(batch.response.profiles.map((profile) => profile.user_id)).toEqual(['u1', 'u2']);

      const realtime = await unary(c.users.getUserRealtimeFeatures.bind(c.users), recommender.GetUserRealtimeFeaturesRequest.fromPartial({ scenario_id: 'shop', user_id: 'u2' }), auth);
      expect(realtime.response.features).toMatchObject({ user_id: 'u2', recent_liked_items: ['blue_shoe'] });

      const unknown = await failure(unary(c.users.getUserProfile.bind(c.users), recommender.GetUserProfileRequest.fromPartial({ user_id: 'nobody' }), auth));
      expect(unknown.code).toBe(status.NOT_FOUND);
      const badId = await failure(unary(c.users.getUserProfile.bind(c.users), recommender.GetUserProfileRequest.fromPartial({ user_id: '' }), auth));
      expect(fieldsOf(badId)).toEqual(['user_id']);
    });
  });

  describe('ModelService', () => {
    it('queues training, follows the job, and reads the registry', async () => {
      const empty = await unary(c.models.listModels.bind(c.models), recommender.ListModelsRequest.fromPartial({ model_type: recommender.ModelType.MODEL_TYPE_RECALL }), auth);
      expect(empty.response.models).toEqual([]);

      const trained = await unary(
        c.models.trainModel.bind(c.models),
        recommender.TrainModelRequest.fromPartial({ model_id: 'shop.als', training_config: { scenario_id: 'shop', algorithm: 'als', deploy: false } }),
        auth,
      );
      expect(trained.response.job_id).not.toBe('');
      const job = await unary(c.models.getTrainingStatus.bind(c.models), recommender.GetTrainingStatusRequest.fromPartial({ job_id: trained.response.job_id }), auth);
      expect(job.response.status?.job_id).toBe(trained.response.job_id);
      expect(['waiting', 'delayed', 'active', 'completed', 'failed']).toContain(job.response.status?.status);
    });

    it('names bad training input and refuses what the registry cannot do', async () => {
      const badAlgorithm = await failure(
        unary(c.models.trainModel.bind(c.models), recommender.TrainModelRequest.fromPartial({ training_config: { scenario_id: 'shop', algorithm: 'magic' } }), auth),
      );
      expect(fieldsOf(badAlgorithm)).toEqual(['training_config.algorithm']);
      const wrongId = await failure(
        unary(c.models.trainModel.bind(c.models), recommender.TrainModelRequest.fromPartial({ model_id: 'other', training_config: { scenario_id: 'shop', algorithm: 'als' } }), auth),
      );
      expect(fieldsOf(wrongId)).toEqual(['model_id']);
      expect((await failure(unary(c.models.getModel.bind(c.models), recommender.GetModelRequest.fromPartial({ model_id: 'nope' }), auth))).code).toBe(status.NOT_FOUND);
      expect((await failure(unary(c.models.getTrainingStatus.bind(c.models), recommender.GetTrainingStatusRequest.fromPartial({ job_id: 'nope' }), auth))).code).toBe(status.NOT_FOUND);
    });

    it('registers a draft model, edits it, and deletes it', async () => {
      const { ModelType, ModelStatus } = recommender;
      const created = await unary(
        c.models.createModel.bind(c.models),
        recommender.CreateModelRequest.fromPartial({ model_id: 'shop.lr', name: 'CTR model', model_type: ModelType.MODEL_TYPE_RANK, algorithm: 'lr', config: { l2: 0.01 }, description: 'first draft' }),
        auth,
      );
      expect(created.response.model).toMatchObject({ model_id: 'shop.lr', tenant_id: 'acme', model_type: ModelType.MODEL_TYPE_RANK, status: ModelStatus.MODEL_STATUS_DRAFT, version: '', config: { l2: 0.01 } });
      const listed = await unary(c.models.listModels.bind(c.models), recommender.ListModelsRequest.fromPartial({ status: ModelStatus.MODEL_STATUS_DRAFT }), auth);
      expect(listed.response.models.map((model) => model.model_id)).toEqual(['shop.lr']);

      const updated = await unary(c.models.updateModel.bind(c.models), recommender.UpdateModelRequest.fromPartial({ model_id: 'shop.lr', name: 'CTR', config: { l2: 0.1 }, algorithm: 'fm' }), auth);
      expect(updated.response.model).toMatchObject({ name: 'CTR', description: 'first draft', algorithm: 'fm', config: { l2: 0.1 }, status: ModelStatus.MODEL_STATUS_DRAFT });
      const archived = await unary(c.models.updateModel.bind(c.models), recommender.UpdateModelRequest.fromPartial({ model_id: 'shop.lr', status: ModelStatus.MODEL_STATUS_ARCHIVED }), auth);
      expect(archived.response.model?.status).toBe(ModelStatus.MODEL_STATUS_ARCHIVED);

      const deleted = await unary(c.models.deleteModel.bind(c.models), recommender.DeleteModelRequest.fromPartial({ model_id: 'shop.lr' }), auth);
      expect(deleted.response.success).toBe(true);
      expect((await failure(unary(c.models.getModel.bind(c.models), recommender.GetModelRequest.fromPartial({ model_id: 'shop.lr' }), auth))).code).toBe(status.NOT_FOUND);
      expect((await failure(unary(c.models.deleteModel.bind(c.models), recommender.DeleteModelRequest.fromPartial({ model_id: 'shop.lr' }), auth))).code).toBe(status.NOT_FOUND);
    });

    it('refuses to delete a model that a queued training run would write', async () => {
      // The run queued above (shop.als) waits: this app has no worker.
      await unary(
        c.models.createModel.bind(c.models),
        recommender.CreateModelRequest.fromPartial({ model_id: 'shop.als', name: 'ALS', model_type: recommender.ModelType.MODEL_TYPE_RECALL, algorithm: 'als' }),
        auth,
      );
      const busy = await failure(unary(c.models.deleteModel.bind(c.models), recommender.DeleteModelRequest.fromPartial({ model_id: 'shop.als' }), auth));
      expect(busy.code).toBe(status.FAILED_PRECONDITION);
      expect(busy.details).toContain('training run');
      expect((await unary(c.models.getModel.bind(c.models), recommender.GetModelRequest.fromPartial({ model_id: 'shop.als' }), auth)).response.model?.name).toBe('ALS');
    });

    it('names what a registry write gets wrong', async () => {
      const { ModelType, ModelStatus } = recommender;
      const create = (partial: Partial<recommender.CreateModelRequest>) =>
        unary(c.models.createModel.bind(c.models), recommender.CreateModelRequest.fromPartial({ model_id: 'm1', name: 'M', model_type: ModelType.MODEL_TYPE_RECALL, algorithm: 'als', ...partial }), auth);
      expect(fieldsOf(await failure(create({ model_type: ModelType.MODEL_TYPE_UNSPECIFIED })))).toEqual(['model_type']);
      expect(fieldsOf(await failure(create({ name: '' })))).toEqual(['name']);
      expect(fieldsOf(await failure(create({ version: 'v1' })))).toEqual(['version']);
      await create({});
      expect((await failure(create({}))).code).toBe(status.ALREADY_EXISTS);
      const update = (partial: Partial<recommender.UpdateModelRequest>) => unary(c.models.updateModel.bind(c.models), recommender.UpdateModelRequest.fromPartial({ model_id: 'm1', ...partial }), auth);
      expect(fieldsOf(await failure(update({ status: ModelStatus.MODEL_STATUS_DEPLOYED })))).toEqual(['status']);
      expect(fieldsOf(await failure(update({ version: 'v2' })))).toEqual(['version']);
      expect((await failure(update({ model_id: 'nope', name: 'X' }))).code).toBe(status.NOT_FOUND);
      const reader = { 'x-api-key': await t.apiKey('acme', ['read']) };
      expect((await failure(unary(c.models.deleteModel.bind(c.models), recommender.DeleteModelRequest.fromPartial({ model_id: 'm1' }), reader))).code).toBe(status.PERMISSION_DENIED);
      await unary(c.models.deleteModel.bind(c.models), recommender.DeleteModelRequest.fromPartial({ model_id: 'm1' }), auth);
    });
  });

  describe('DatasetService', () => {
    const create = (partial: Partial<recommender.CreateDatasetRequest>) =>
      unary(c.datasets.createDataset.bind(c.datasets), recommender.CreateDatasetRequest.fromPartial({ name: 'Clicks', path: 's3://lake/clicks.parquet', ...partial }), auth);

    it('registers, lists, gets and deletes dataset descriptions', async () => {
      const clicks = await create({ description: 'clicks of May', storage_type: 's3', format: 'parquet', file_size: 1_048_576, created_by: 'ana' });
      expect(clicks.response.dataset).toMatchObject({
        tenant_id: 'acme',
        name: 'Clicks',
        storage_type: 's3',
        path: 's3://lake/clicks.parquet',
        format: 'parquet',
        file_size: 1_048_576,
        row_count: 0,
        created_by: 'ana',
      });
      const clicksId = clicks.response.dataset?.dataset_id ?? '';
      expect(clicksId).toMatch(/^ds-[0-9a-f-]{36}$/);
      const defaults = await create({ name: 'Export', path: '/exports/events.csv' });
      expect(defaults.response.dataset).toMatchObject({ storage_type: 'local', format: 'csv', description: '' });
      expect(Date.parse(defaults.response.dataset?.created_at ?? '')).not.toBeNaN();

      const all = await unary(c.datasets.listDatasets.bind(c.datasets), recommender.ListDatasetsRequest.fromPartial({}), auth);
      expect(all.response.total).toBe(2);
      expect(all.response.items.map((dataset) => dataset.name).sort()).toEqual(['Clicks', 'Export']);
      const parquet = await unary(c.datasets.listDatasets.bind(c.datasets), recommender.ListDatasetsRequest.fromPartial({ format: 'parquet' }), auth);
      expect(parquet.response.items.map((dataset) => dataset.dataset_id)).toEqual([clicksId]);
      const paged = await unary(c.datasets.listDatasets.bind(c.datasets), recommender.ListDatasetsRequest.fromPartial({ page: 2, page_size: 1 }), auth);
      expect(paged.response).toMatchObject({ total: 2, items: [expect.objectContaining({ tenant_id: 'acme' })] });

      const got = await unary(c.datasets.getDataset.bind(c.datasets), recommender.GetDatasetRequest.fromPartial({ dataset_id: clicksId }), auth);
      expect(got.response.dataset).toEqual(clicks.response.dataset);
      const deleted = await unary(c.datasets.deleteDataset.bind(c.datasets), recommender.DeleteDatasetRequest.fromPartial({ dataset_id: clicksId }), auth);
      expect(deleted.response.success).toBe(true);
      expect((await failure(unary(c.datasets.getDataset.bind(c.datasets), recommender.GetDatasetRequest.fromPartial({ dataset_id: clicksId }), auth))).code).toBe(status.NOT_FOUND);
      expect((await failure(unary(c.datasets.deleteDataset.bind(c.datasets), recommender.DeleteDatasetRequest.fromPartial({ dataset_id: clicksId }), auth))).code).toBe(status.NOT_FOUND);
      const left = await unary(c.datasets.listDatasets.bind(c.datasets), recommender.ListDatasetsRequest.fromPartial({}), auth);
      expect(left.response.items.map((dataset) => dataset.name)).toEqual(['Export']);
    });

    it('names the bad field of a dataset request', async () => {
      expect(fieldsOf(await failure(create({ name: '' })))).toEqual(['name']);
      expect(fieldsOf(await failure(create({ path: '' })))).toEqual(['path']);
      expect(fieldsOf(await failure(create({ format: 'xlsx' })))).toEqual(['format']);
      expect(fieldsOf(await failure(create({ storage_type: 'floppy' })))).toEqual(['storage_type']);
      expect(fieldsOf(await failure(create({ file_size: -1 })))).toEqual(['file_size']);
      const list = (partial: Partial<recommender.ListDatasetsRequest>) => unary(c.datasets.listDatasets.bind(c.datasets), recommender.ListDatasetsRequest.fromPartial(partial), auth);
      expect(fieldsOf(await failure(list({ format: 'xlsx' })))).toEqual(['format']);
      expect(fieldsOf(await failure(list({ page_size: 5000 })))).toEqual(['page_size']);
      expect(fieldsOf(await failure(unary(c.datasets.getDataset.bind(c.datasets), recommender.GetDatasetRequest.fromPartial({ dataset_id: '' }), auth)))).toEqual(['dataset_id']);
      const reader = { 'x-api-key': await t.apiKey('acme', ['read']) };
      expect((await failure(unary(c.datasets.createDataset.bind(c.datasets), recommender.CreateDatasetRequest.fromPartial({ name: 'X', path: '/x' }), reader))).code).toBe(status.PERMISSION_DENIED);
    });
  });

  it('deletes items in a batch, reporting unknown ids, then one by one', async () => {
    const batch = await unary(c.items.batchDeleteItems.bind(c.items), recommender.BatchDeleteItemsRequest.fromPartial({ scenario_id: 'shop', item_ids: ['green_hat', 'ghost'] }), auth);
    expect(batch.response).toEqual({ success_count: 1, failed_count: 1, errors: ["item 'ghost' not found or already deleted"] });
    await unary(c.items.deleteItem.bind(c.items), recommender.DeleteItemRequest.fromPartial({ scenario_id: 'shop', item_id: 'red_hat' }), auth);
    const got = await unary(c.items.getItem.bind(c.items), recommender.GetItemRequest.fromPartial({ scenario_id: 'shop', item_id: 'red_hat' }), auth);
    expect(got.response.item?.status).toBe('deleted');
  });

  it('maps FlinkJobService onto the stream jobs, for the platform admin only', async () => {
    const admin = { 'x-api-key': 'test-admin-key-0123456789' };
    const f = c.flinkJobs;
    const listed = await unary(f.listJobs.bind(f), recommender.ListJobsRequest.fromPartial({}), admin);
    expect(listed.response.jobs.map((job) => job.job_id).sort()).toEqual(['analytics-sink', 'realtime-metrics']);
    expect(listed.response.page_info?.total).toBe(2);
    const sink = listed.response.jobs.find((job) => job.job_id === 'analytics-sink');
    expect(sink?.flink_job_id).toBe('analytics-ingestion');
    // No streams process runs in this test app: asked to run, reported by nobody.
    expect(sink?.status).toBe(recommender.JobStatus.CREATED);

    const paused = await unary(f.pauseJob.bind(f), recommender.PauseJobRequest.fromPartial({ job_id: 'analytics-sink' }), admin);
    expect(paused.response.job?.status).toBe(recommender.JobStatus.SUSPENDED);
    const suspended = await unary(f.listJobs.bind(f), recommender.ListJobsRequest.fromPartial({ status: 'suspended' }), admin);
    expect(suspended.response.jobs.map((job) => job.job_id)).toEqual(['analytics-sink']);
    const resumed = await unary(f.resumeJob.bind(f), recommender.ResumeJobRequest.fromPartial({ job_id: 'analytics-sink' }), admin);
    expect(resumed.response.job?.status).toBe(recommender.JobStatus.CREATED);
    const stopped = await unary(f.stopJob.bind(f), recommender.StopJobRequest.fromPartial({ job_id: 'realtime-metrics' }), admin);
    expect(stopped.response.job?.status).toBe(recommender.JobStatus.CANCELLED);
    expect((await unary(f.getJob.bind(f), recommender.GetJobRequest.fromPartial({ job_id: 'realtime-metrics' }), admin)).response.job?.job_config).toMatchObject({ desired_state: 'stopped' });
    await unary(f.resumeJob.bind(f), recommender.ResumeJobRequest.fromPartial({ job_id: 'realtime-metrics' }), admin);

    expect((await failure(unary(f.getJob.bind(f), recommender.GetJobRequest.fromPartial({ job_id: 'nope' }), admin))).code).toBe(status.NOT_FOUND);
    expect(fieldsOf(await failure(unary(f.listJobs.bind(f), recommender.ListJobsRequest.fromPartial({ status: 'exploded' }), admin)))).toEqual(['status']);
    // The stream jobs serve every tenant: a tenant's admin key cannot pause them.
    expect((await failure(unary(f.pauseJob.bind(f), recommender.PauseJobRequest.fromPartial({ job_id: 'analytics-sink' }), auth))).code).toBe(status.PERMISSION_DENIED);
    expect((await failure(unary(f.listJobs.bind(f), recommender.ListJobsRequest.fromPartial({}), {}))).code).toBe(status.UNAUTHENTICATED);
  });

  it('answers UNIMPLEMENTED, naming what is missing, where no use case exists', async () => {
    // AnalyticsService's GetItemDistribution and ExportData are implemented now (grpc-experiments-analytics.e2e.spec.ts).
    const f = c.flinkJobs;
    const calls = [
      unary(f.getClusterInfo.bind(f), recommender.GetClusterInfoRequest.fromPartial({}), {}),
      unary(f.submitJob.bind(f), recommender.SubmitJobRequest.fromPartial({ template_id: 't' }), {}),
      unary(f.listJobTemplates.bind(f), recommender.ListJobTemplatesRequest.fromPartial({}), {}),
    ];
    for (const pending of calls.map(failure)) {
      const error = await pending;
      expect(error.code).toBe(status.UNIMPLEMENTED);
      expect(error.details).toMatch(/is not implemented: .{20,}/);
      expect(errorDetailsOf(error.metadata)[0].code).toBe(recommenderCommon.ErrorCode.ERROR_CODE_UNIMPLEMENTED);
    }
  });

  it('propagates x-request-id in headers and in error trailers', async () => {
    const ok = await unary(c.scenarios.getScenario.bind(c.scenarios), recommender.GetScenarioRequest.fromPartial({ scenario_id: 'shop' }), { ...auth, 'x-request-id': 'req-42' });
    expect(ok.headers.get('x-request-id')).toEqual(['req-42']);
    const error = await failure(unary(c.scenarios.getScenario.bind(c.scenarios), recommender.GetScenarioRequest.fromPartial({ scenario_id: 'nope' }), { ...auth, 'x-request-id': 'req-43' }));
    expect(error.metadata.get('x-request-id')).toEqual(['req-43']);
    const minted = await unary(c.scenarios.getScenario.bind(c.scenarios), recommender.GetScenarioRequest.fromPartial({ scenario_id: 'shop' }), auth);
    expect(minted.headers.get('x-request-id')[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the standard health service and server reflection', async () => {
    const definition = loadSync(['grpc/health/v1/health.proto', 'grpc/reflection/v1alpha/reflection.proto'], {
      includeDirs: [join(__dirname, '../../../proto'), join(require.resolve('@grpc/reflection/package.json'), '../build/proto')],
      keepCase: true,
      enums: String,
    });
    const loaded = loadPackageDefinition(definition) as unknown as GrpcPackages;
    const health = new loaded.grpc.health.v1.Health(t.address, credentials.createInsecure());
    const status = await new Promise<{ status: string }>((resolve, reject) => health.Check({ service: '' }, (error, response) => (error ? reject(error) : resolve(response))));
    expect(status.status).toBe('SERVING');
    health.close();

    const reflection = new loaded.grpc.reflection.v1alpha.ServerReflection(t.address, credentials.createInsecure());
    const stream = reflection.ServerReflectionInfo(new Metadata());
    const services = new Promise<string[]>((resolve, reject) => {
      stream.on('data', (response: { list_services_response?: { service: Array<{ name: string }> } }) => resolve(response.list_services_response?.service.map((s) => s.name) ?? []));
      stream.on('error', reject);
    });
    stream.write({ list_services: '' });
    expect(await services).toEqual(expect.arrayContaining(['lemo.recommender.v1.ItemService', 'lemo.recommender.v1.BehaviorService', 'grpc.health.v1.Health']));
    stream.end();
    reflection.close();
  });
});

interface GrpcPackages {
  grpc: {
    health: { v1: { Health: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => HealthClient } };
    reflection: { v1alpha: { ServerReflection: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => ReflectionClient } };
  };
}

interface HealthClient {
  Check(request: { service: string }, callback: (error: ServiceError | null, response: { status: string }) => void): void;
  close(): void;
}

interface ReflectionClient {
  ServerReflectionInfo(metadata: Metadata): NodeJS.ReadWriteStream & { write(message: object): boolean; end(): void };
  close(): void;
}
