import { status, type ServiceError } from '@grpc/grpc-js';
import { StreamsModule } from '@lemo/application';
import { recommender } from '@lemo/contracts';
import { errorDetailsOf } from './call/grpc-errors';
import { closeAll, createGrpcTestApp, failure, recommenderClients, unary, type GrpcTestApp, type RecommenderClients } from './e2e/grpc-test-app';

// Generous: on the cluster profile the app boots against every real server, slowly on a busy machine.
jest.setTimeout(120_000);

const PORT = 10977;
const { ActionType, ExperimentStatus, TrafficSplitMethod } = recommender;

const fieldsOf = (error: ServiceError) => [...new Set(errorDetailsOf(error.metadata).map((detail) => detail.field))];

/**
 * Retries an assertion until it holds: events reach the analytics store asynchronously (on the cluster
 * profile through Kafka, the stream job and ClickHouse, which takes seconds on a busy machine).
 */
async function eventually(check: () => Promise<void>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const { ExperimentGroup, ExperimentStrategyConfig } = recommender;
const GROUPS = [
  ExperimentGroup.fromPartial({ group_id: 'control', name: 'Control', traffic_ratio: 0.5, is_control: true }),
  ExperimentGroup.fromPartial({ group_id: 'bigger', name: 'Bigger recall', traffic_ratio: 0.5, strategy: { additional_config: { recall: { total_limit: 600 } } } }),
];

describe('ExperimentService and AnalyticsService over gRPC (embedded profile)', () => {
  let t: GrpcTestApp;
  let c: RecommenderClients;
  let acme: Record<string, string>;
  let other: Record<string, string>;
  let readOnly: Record<string, string>;

  beforeAll(async () => {
    // StreamsModule copies tracked events into the analytics store, as the streams app or the all-in-one does.
    t = await createGrpcTestApp(PORT, {}, [StreamsModule]);
    c = recommenderClients(t.address);
    acme = { 'x-api-key': (await t.tenant('acme')).apiKey };
    other = { 'x-api-key': (await t.tenant('other')).apiKey };
    readOnly = { 'x-api-key': await t.apiKey('acme', ['read']) };
    await unary(c.scenarios.createScenario.bind(c.scenarios), recommender.CreateScenarioRequest.fromPartial({ scenario_id: 'shop', name: 'Shop', scenario_type: 'ecommerce' }), acme);
    await unary(c.scenarios.createScenario.bind(c.scenarios), recommender.CreateScenarioRequest.fromPartial({ scenario_id: 'news', name: 'News', scenario_type: 'news' }), acme);
  });

  afterAll(async () => {
    if (c) closeAll(c);
    await t?.close();
  });

  const createExperiment = (partial: Partial<recommender.CreateExperimentRequest>, metadata = acme) =>
    unary(c.experiments.createExperiment.bind(c.experiments), recommender.CreateExperimentRequest.fromPartial({ scenario_id: 'shop', name: 'Bigger recall', groups: GROUPS, ...partial }), metadata);
  const ref = (experimentId: string, scenarioId = '') => ({ experiment_id: experimentId, scenario_id: scenarioId });
  const track = (event: Partial<recommender.BehaviorEvent>) =>
    unary(c.behaviors.trackEvent.bind(c.behaviors), recommender.TrackEventRequest.fromPartial({ event: { scenario_id: 'shop', item_id: 'hat', ...event } }), acme);

  describe('ExperimentService', () => {
    it('creates, reads, lists, updates, starts, stops, reports on and deletes an experiment', async () => {
      const created = await createExperiment({ description: 'more candidates', hypothesis: 'more clicks', min_sample_size: 50, confidence_level: 0.9 });
      const experiment = created.response.experiment!;
      expect(experiment.experiment_id).toMatch(/^exp-[0-9a-f-]{36}$/);
      expect(experiment).toMatchObject({
        id: experiment.experiment_id,
        tenant_id: 'acme',
        scenario_id: 'shop',
        name: 'Bigger recall',
        description: 'more candidates',
        hypothesis: 'more clicks',
        status: ExperimentStatus.EXPERIMENT_STATUS_DRAFT,
        traffic_split_method: TrafficSplitMethod.TRAFFIC_SPLIT_METHOD_USER_ID_HASH,
        min_sample_size: 50,
        start_time: undefined,
      });
      expect(experiment.groups.map((g) => [g.group_id, g.traffic_ratio, g.is_control])).toEqual([
        ['control', 0.5, true],
        ['bigger', 0.5, false],
      ]);
      expect(experiment.groups[1].strategy?.additional_config).toEqual({ recall: { total_limit: 600 } });
      expect(experiment.confidence_level).toBeCloseTo(0.9); // a float on the wire
      expect(experiment.created_at).toBeInstanceOf(Date);
      const id = experiment.experiment_id;

      const got = await unary(c.experiments.getExperiment.bind(c.experiments), recommender.GetExperimentRequest.fromPartial(ref(id, 'shop')), readOnly);
      expect(got.response.experiment?.name).toBe('Bigger recall');

      await createExperiment({ scenario_id: 'news', name: 'News test' });
      const listed = await unary(c.experiments.listExperiments.bind(c.experiments), recommender.ListExperimentsRequest.fromPartial({ scenario_id: 'shop', page: { page: 1, page_size: 10 } }), acme);
      expect(listed.response.experiments.map((e) => e.experiment_id)).toEqual([id]);
      expect(listed.response.page_info).toMatchObject({ page: 1, page_size: 10, total: 1 });

      const updated = await unary(c.experiments.updateExperiment.bind(c.experiments), recommender.UpdateExperimentRequest.fromPartial({ ...ref(id), name: 'Renamed', confidence_level: 0.95 }), acme);
      expect(updated.response.experiment).toMatchObject({ name: 'Renamed', description: 'more candidates', min_sample_size: 50 });
      expect(updated.response.experiment?.confidence_level).toBeCloseTo(0.95);

      const started = await unary(c.experiments.startExperiment.bind(c.experiments), recommender.StartExperimentRequest.fromPartial(ref(id)), acme);
      expect(started.response.experiment?.status).toBe(ExperimentStatus.EXPERIMENT_STATUS_RUNNING);
      expect(started.response.experiment?.start_time).toBeInstanceOf(Date);
      const running = await unary(c.experiments.listExperiments.bind(c.experiments), recommender.ListExperimentsRequest.fromPartial({ status: ExperimentStatus.EXPERIMENT_STATUS_RUNNING }), acme);
      expect(running.response.experiments.map((e) => e.experiment_id)).toEqual([id]);

      const busy = await failure(unary(c.experiments.deleteExperiment.bind(c.experiments), recommender.DeleteExperimentRequest.fromPartial(ref(id)), acme));
      expect(busy.code).toBe(status.ABORTED);

      // Events of the experiment's groups are what the results count.
      for (const [user, group, clicked] of [['u1', 'control', true], ['u2', 'control', false], ['u3', 'bigger', true], ['u4', 'bigger', true]] as const) {
        await track({ user_id: user, action_type: ActionType.ACTION_TYPE_IMPRESSION, experiment_id: id, experiment_group: group });
        if (clicked) await track({ user_id: user, action_type: ActionType.ACTION_TYPE_CLICK, experiment_id: id, experiment_group: group });
      }
      await eventually(async () => {
        const results = (await unary(c.experiments.getExperimentResults.bind(c.experiments), recommender.GetExperimentResultsRequest.fromPartial(ref(id)), readOnly)).response;
        expect(results.experiment?.experiment_id).toBe(id);
        expect(results.results.map((r) => [r.group_id, r.group_name, r.sample_size])).toEqual([
          ['control', 'Control', 2],
          ['bigger', 'Bigger recall', 2],
        ]);
        expect(results.results[0].metrics).toMatchObject({ users: 2, impressions: 2, clicks: 1, ctr: { value: 0.5 } });
        expect(results.results[1].metrics).toMatchObject({ clicks: 2, ctr: { value: 1 } });
        expect(results.results[0]).toMatchObject({ confidence: 0, is_significant: false });
        expect(results.results[1].confidence).toBeGreaterThanOrEqual(0);
        expect(results.results[1].confidence).toBeLessThanOrEqual(1);
        expect(results.summary).toMatchObject({ experiment_id: id, control_variant_id: 'control', conversion_action: 'purchase', status: 'running', primary_metric: 'ctr' });
      });

      const stopped = await unary(c.experiments.stopExperiment.bind(c.experiments), recommender.StopExperimentRequest.fromPartial(ref(id)), acme);
      expect(stopped.response.experiment?.status).toBe(ExperimentStatus.EXPERIMENT_STATUS_COMPLETED);
      expect(stopped.response.experiment?.end_time).toBeInstanceOf(Date);

      const deleted = await unary(c.experiments.deleteExperiment.bind(c.experiments), recommender.DeleteExperimentRequest.fromPartial(ref(id)), acme);
      expect(deleted.response.success).toBe(true);
      const gone = await failure(unary(c.experiments.getExperiment.bind(c.experiments), recommender.GetExperimentRequest.fromPartial(ref(id)), acme));
      expect(gone.code).toBe(status.NOT_FOUND);
    });

    it('rejects bad input with INVALID_ARGUMENT naming the contract field', async () => {
      const badRatio = await failure(createExperiment({ groups: [GROUPS[0], { ...GROUPS[1], traffic_ratio: 0.2 }] }));
      expect(badRatio.code).toBe(status.INVALID_ARGUMENT);
      expect(fieldsOf(badRatio)).toEqual(['groups']);

      const badGroupId = await failure(createExperiment({ groups: [GROUPS[0], { ...GROUPS[1], group_id: '' }] }));
      expect(fieldsOf(badGroupId)).toEqual(['groups.1.group_id']);

      const noName = await failure(createExperiment({ name: '' }));
      expect(fieldsOf(noName)).toEqual(['name']);

      const method = await failure(createExperiment({ traffic_split_method: TrafficSplitMethod.TRAFFIC_SPLIT_METHOD_RANDOM }));
      expect(fieldsOf(method)).toEqual(['traffic_split_method']);

      const modelIds = await failure(createExperiment({ groups: [GROUPS[0], { ...GROUPS[1], strategy: ExperimentStrategyConfig.fromPartial({ rank_model_id: 'm1' }) }] }));
      expect(fieldsOf(modelIds)).toEqual(['groups.1.strategy.rank_model_id']);

      const badOverride = await failure(createExperiment({ groups: [GROUPS[0], { ...GROUPS[1], strategy: ExperimentStrategyConfig.fromPartial({ additional_config: { recall: { total_limit: -1 } } }) }] }));
      expect(badOverride.code).toBe(status.INVALID_ARGUMENT);
      expect(fieldsOf(badOverride)[0]).toMatch(/^groups\.1\.strategy\.additional_config\.recall/);

      const noId = await failure(unary(c.experiments.getExperiment.bind(c.experiments), recommender.GetExperimentRequest.fromPartial({}), acme));
      expect(noId.code).toBe(status.INVALID_ARGUMENT);
      expect(fieldsOf(noId)).toEqual(['experiment_id']);

      const { response } = await createExperiment({ name: 'For update' });
      const id = response.experiment!.experiment_id;
      const badLevel = await failure(unary(c.experiments.updateExperiment.bind(c.experiments), recommender.UpdateExperimentRequest.fromPartial({ ...ref(id), confidence_level: 1.5 }), acme));
      expect(fieldsOf(badLevel)).toEqual(['confidence_level']);

      const badStatus = await failure(unary(c.experiments.listExperiments.bind(c.experiments), recommender.ListExperimentsRequest.fromPartial({ status: ExperimentStatus.EXPERIMENT_STATUS_STOPPED }), acme));
      expect(fieldsOf(badStatus)).toEqual(['status']);

      const wrongScenario = await failure(unary(c.experiments.getExperiment.bind(c.experiments), recommender.GetExperimentRequest.fromPartial(ref(id, 'news')), acme));
      expect(wrongScenario.code).toBe(status.NOT_FOUND);

      const unknownScenario = await failure(createExperiment({ scenario_id: 'nope' }));
      expect(unknownScenario.code).toBe(status.NOT_FOUND);

      const stopDraft = await failure(unary(c.experiments.stopExperiment.bind(c.experiments), recommender.StopExperimentRequest.fromPartial(ref(id)), acme));
      expect(stopDraft.code).toBe(status.ABORTED);
    });

    it("keeps tenants apart: another tenant's experiments are NOT_FOUND, its tenant_id PERMISSION_DENIED", async () => {
      const { response } = await createExperiment({ name: 'Secret' });
      const id = response.experiment!.experiment_id;
      const calls = [
        unary(c.experiments.getExperiment.bind(c.experiments), recommender.GetExperimentRequest.fromPartial(ref(id)), other),
        unary(c.experiments.updateExperiment.bind(c.experiments), recommender.UpdateExperimentRequest.fromPartial({ ...ref(id), name: 'Hijacked' }), other),
        unary(c.experiments.startExperiment.bind(c.experiments), recommender.StartExperimentRequest.fromPartial(ref(id)), other),
        unary(c.experiments.stopExperiment.bind(c.experiments), recommender.StopExperimentRequest.fromPartial(ref(id)), other),
        unary(c.experiments.getExperimentResults.bind(c.experiments), recommender.GetExperimentResultsRequest.fromPartial(ref(id)), other),
        unary(c.experiments.deleteExperiment.bind(c.experiments), recommender.DeleteExperimentRequest.fromPartial(ref(id)), other),
        createExperiment({ name: 'On their scenario' }, other),
      ];
      for (const pending of calls.map(failure)) expect((await pending).code).toBe(status.NOT_FOUND);
      const listed = await unary(c.experiments.listExperiments.bind(c.experiments), recommender.ListExperimentsRequest.fromPartial({}), other);
      expect(listed.response.experiments).toEqual([]);

      const foreign = await failure(unary(c.experiments.getExperiment.bind(c.experiments), recommender.GetExperimentRequest.fromPartial({ ...ref(id), tenant_id: 'acme' }), other));
      expect(foreign.code).toBe(status.PERMISSION_DENIED);
      expect(fieldsOf(foreign)).toEqual(['tenant_id']);

      const still = await unary(c.experiments.getExperiment.bind(c.experiments), recommender.GetExperimentRequest.fromPartial(ref(id)), acme);
      expect(still.response.experiment).toMatchObject({ name: 'Secret', status: ExperimentStatus.EXPERIMENT_STATUS_DRAFT });
    });

    it('needs the admin scope for writes', async () => {
      const denied = await failure(createExperiment({ name: 'Read only' }, readOnly));
      expect(denied.code).toBe(status.PERMISSION_DENIED);
    });
  });

  describe('AnalyticsService', () => {
    const from = new Date(Date.now() - 3_600_000);
    const range = () => ({ start_time: from, end_time: new Date(Date.now() + 60_000) });

    beforeAll(async () => {
      for (const user of ['a1', 'a2', 'a3']) await track({ scenario_id: 'news', user_id: user, action_type: ActionType.ACTION_TYPE_IMPRESSION });
      await track({ scenario_id: 'news', user_id: 'a1', action_type: ActionType.ACTION_TYPE_CLICK });
      // A user with a like and no impression: active, though never shown a recommendation.
      await track({ scenario_id: 'news', user_id: 'a4', action_type: ActionType.ACTION_TYPE_LIKE });
      const items = [
        { item_id: 'n1', metadata: { category: 'politics', tags: ['eu', 'vote'] } },
        { item_id: 'n2', metadata: { category: 'politics', tags: ['vote'] } },
        { item_id: 'n3', metadata: { category: 'sports', tags: [] } },
        { item_id: 'n4', metadata: { title: 'no category' } },
      ];
      await unary(c.items.batchCreateItems.bind(c.items), recommender.BatchCreateItemsRequest.fromPartial({ scenario_id: 'news', items }), acme);
    });

    it('GetDashboard counts the scenario’s events, users and items', async () => {
      await eventually(async () => {
        const { response } = await unary(c.analytics.getDashboard.bind(c.analytics), recommender.GetDashboardRequest.fromPartial({ scenario_id: 'news', time_range: range() }), readOnly);
        expect(response.data).toMatchObject({ total_recommendations: 3, total_clicks: 1, active_users: 4, cache_hit_rate: 0 });
        expect(response.data?.ctr).toBeCloseTo(1 / 3);
      });
    });

    it('GetMetricsTrend returns one trend per metric, in buckets', async () => {
      await eventually(async () => {
        const { response } = await unary(
          c.analytics.getMetricsTrend.bind(c.analytics),
          recommender.GetMetricsTrendRequest.fromPartial({ scenario_id: 'news', time_range: range(), granularity: 'day', metrics: ['impressions', 'ctr', 'click'] }),
          readOnly,
        );
        expect(response.trends.map((trend) => trend.metric_name)).toEqual(['impressions', 'ctr', 'click']);
        const sum = (name: string) => response.trends.find((trend) => trend.metric_name === name)!.points.reduce((total, point) => total + point.value, 0);
        expect(sum('impressions')).toBe(3);
        expect(sum('click')).toBe(1);
        expect(response.trends[0].points[0].timestamp).toBeInstanceOf(Date);
      });
    });

    it('GetUserBehaviorAnalysis returns per-action stats and the funnel', async () => {
      await eventually(async () => {
        const { response } = await unary(c.analytics.getUserBehaviorAnalysis.bind(c.analytics), recommender.GetUserBehaviorAnalysisRequest.fromPartial({ scenario_id: 'news', time_range: range() }), readOnly);
        expect(response.stats).toEqual(expect.arrayContaining([{ action_type: 'impression', count: 3, unique_users: 3 }, { action_type: 'click', count: 1, unique_users: 1 }]));
        const steps = (response.funnel_data as { steps: Array<{ action_type: string; users: number }> }).steps;
        expect(steps.slice(0, 2).map((step) => [step.action_type, step.users])).toEqual([
          ['impression', 3],
          ['click', 1],
        ]);
      });
    });

    it('rejects bad input with INVALID_ARGUMENT naming the field', async () => {
      const metric = await failure(unary(c.analytics.getMetricsTrend.bind(c.analytics), recommender.GetMetricsTrendRequest.fromPartial({ metrics: ['ctr', 'vibes'] }), acme));
      expect(metric.code).toBe(status.INVALID_ARGUMENT);
      expect(fieldsOf(metric)).toEqual(['metrics.1']);
      const granularity = await failure(unary(c.analytics.getMetricsTrend.bind(c.analytics), recommender.GetMetricsTrendRequest.fromPartial({ granularity: 'minute' }), acme));
      expect(fieldsOf(granularity)).toEqual(['granularity']);
      const reversed = await failure(unary(c.analytics.getDashboard.bind(c.analytics), recommender.GetDashboardRequest.fromPartial({ time_range: { start_time: new Date(), end_time: from } }), acme));
      expect(reversed.code).toBe(status.INVALID_ARGUMENT);
      expect(fieldsOf(reversed)).toEqual(['time_range.end_time']);
      const scenario = await failure(unary(c.analytics.getDashboard.bind(c.analytics), recommender.GetDashboardRequest.fromPartial({ scenario_id: 'bad id!' }), acme));
      expect(fieldsOf(scenario)).toEqual(['scenario_id']);
    });

    it("keeps tenants apart: another tenant's scenario is NOT_FOUND, its data never counted", async () => {
      const calls = [
        unary(c.analytics.getDashboard.bind(c.analytics), recommender.GetDashboardRequest.fromPartial({ scenario_id: 'news' }), other),
        unary(c.analytics.getMetricsTrend.bind(c.analytics), recommender.GetMetricsTrendRequest.fromPartial({ scenario_id: 'news' }), other),
        unary(c.analytics.getUserBehaviorAnalysis.bind(c.analytics), recommender.GetUserBehaviorAnalysisRequest.fromPartial({ scenario_id: 'news' }), other),
      ];
      for (const pending of calls.map(failure)) expect((await pending).code).toBe(status.NOT_FOUND);
      const own = await unary(c.analytics.getDashboard.bind(c.analytics), recommender.GetDashboardRequest.fromPartial({ time_range: range() }), other);
      expect(own.response.data).toMatchObject({ total_recommendations: 0, total_clicks: 0, total_items: 0, total_users: 0 });
      const foreign = await failure(unary(c.analytics.getDashboard.bind(c.analytics), recommender.GetDashboardRequest.fromPartial({ tenant_id: 'acme' }), other));
      expect(foreign.code).toBe(status.PERMISSION_DENIED);
      expect(fieldsOf(foreign)).toEqual(['tenant_id']);
    });

    it('GetItemDistribution counts the scenario’s items per value of a metadata field, tags element by element', async () => {
      const distribution = async (dimension: string) =>
        (await unary(c.analytics.getItemDistribution.bind(c.analytics), recommender.GetItemDistributionRequest.fromPartial({ scenario_id: 'news', dimension }), readOnly)).response.distribution;
      expect(await distribution('category')).toEqual([
        { label: 'politics', count: 2, percentage: 50 },
        { label: 'sports', count: 1, percentage: 25 },
      ]);
      expect(await distribution('tags')).toEqual([
        { label: 'vote', count: 2, percentage: 50 },
        { label: 'eu', count: 1, percentage: 25 },
      ]);
      const bad = await failure(unary(c.analytics.getItemDistribution.bind(c.analytics), recommender.GetItemDistributionRequest.fromPartial({ scenario_id: 'news', dimension: 'metadata.category' }), acme));
      expect(bad.code).toBe(status.INVALID_ARGUMENT);
      expect(fieldsOf(bad)).toEqual(['dimension']);
      const noScenario = await failure(unary(c.analytics.getItemDistribution.bind(c.analytics), recommender.GetItemDistributionRequest.fromPartial({ dimension: 'category' }), acme));
      expect(fieldsOf(noScenario)).toEqual(['scenario_id']);
    });

    it('ExportData describes the REST export of the range: its URL, file name and event count', async () => {
      const start = from;
      const end = new Date(Date.now() + 60_000);
      await eventually(async () => {
        const { response } = await unary(
          c.analytics.exportData.bind(c.analytics),
          recommender.ExportDataRequest.fromPartial({ scenario_id: 'news', data_type: 'behaviors', format: 'csv', time_range: { start_time: start, end_time: end } }),
          readOnly,
        );
        expect(response).toMatchObject({ file_name: 'events-news.csv', record_count: 5, expires_at: undefined });
        const url = new URL(response.download_url, 'http://rest.invalid');
        expect(url.pathname).toBe('/api/v1/analytics/export');
        expect(Object.fromEntries(url.searchParams)).toEqual({ scenario_id: 'news', from: String(start.getTime()), to: String(end.getTime()), format: 'csv' });
      });
      const jsonl = await unary(c.analytics.exportData.bind(c.analytics), recommender.ExportDataRequest.fromPartial({ scenario_id: 'news' }), readOnly);
      expect(jsonl.response.file_name).toBe('events-news.jsonl');
      const empty = await unary(
        c.analytics.exportData.bind(c.analytics),
        recommender.ExportDataRequest.fromPartial({ scenario_id: 'news', time_range: { start_time: new Date(0), end_time: new Date(1) } }),
        readOnly,
      );
      expect(empty.response.record_count).toBe(0);
      for (const [request, field] of [
        [{ scenario_id: 'news', format: 'xlsx' }, 'format'],
        [{ scenario_id: 'news', data_type: 'users' }, 'data_type'],
        [{}, 'scenario_id'],
      ] as const) {
        const error = await failure(unary(c.analytics.exportData.bind(c.analytics), recommender.ExportDataRequest.fromPartial(request), acme));
        expect(error.code).toBe(status.INVALID_ARGUMENT);
        expect(fieldsOf(error)).toEqual([field]);
      }
    });

    it("keeps another tenant's items and events out of GetItemDistribution and ExportData (NOT_FOUND)", async () => {
      for (const pending of [
        unary(c.analytics.getItemDistribution.bind(c.analytics), recommender.GetItemDistributionRequest.fromPartial({ scenario_id: 'news', dimension: 'category' }), other),
        unary(c.analytics.exportData.bind(c.analytics), recommender.ExportDataRequest.fromPartial({ scenario_id: 'news' }), other),
      ].map(failure)) {
        expect((await pending).code).toBe(status.NOT_FOUND);
      }
    });
  });
});
