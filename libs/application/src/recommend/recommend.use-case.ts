import { Inject, Injectable, Optional } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  DomainError,
  EventStore,
  FeatureStore,
  NEGATIVE_ACTIONS,
  type ActionType,
  type Item,
  type RecentInteraction,
  type Scenario,
} from '@lemo/domain';
import type { UserContext } from '@lemo/features';
import { RecallService, type Candidate } from '@lemo/recall';
import { RankerRegistry, Reranker, type RankedItem } from '@lemo/ranking';
import { LOGGER, Metrics, type AppLogger } from '@lemo/platform-observability';
import { ExperimentsUseCase } from '../experiments/experiments.use-case';
import { ScenarioLookup } from '../scenarios/scenario-lookup';
import { deepMerge } from '../shared/deep-merge';
import { DocumentStoreOutage } from '../shared/document-store-outage';
import { decodeCursor, encodeCursor } from './cursor';
import { buildItemFilter } from './item-filter';
import { LastKnownItems } from './last-known-items';
import { RecommendationCache } from './recommendation-cache';
import type { RecommendRequest, RecommendResponse, RecommendedItem } from './recommend-request';

/** A served list, stored so cursors can page through it without repeats. */
interface ServedList {
  scenario_id: string;
  user_id: string | null;
  items: RecommendedItem[];
  /** The experiment whose variant config served the list, and the user's group in it (a variant id, or the holdout). */
  experiment?: { experiment_id: string; experiment_group: string; variant_id: string | null };
}

/** Served requests stay attributable to their experiment this long (clicks and conversions come later than impressions). */
const ATTRIBUTION_TTL_SECONDS = 7 * 24 * 3600;

/** Served lists stay pageable this long. */
const PAGE_TTL_SECONDS = 30 * 60;
/** Recent interactions read per request for recall (item-to-item sources). */
const RECENT_WINDOW = 64;
/** "Seen" covers the user's newest this-many events of the scenario (the event store's per-user index serves it). */
const SEEN_WINDOW = 1000;
/** The fallback chain when personalised recall cannot fill a page. */
const FALLBACK_STRATEGIES = ['popular', 'latest'];
/** The last resort must answer: its budget is wide, unlike the personalised strategies'. */
const FALLBACK_BUDGET_MS = 1000;

@Injectable()
export class RecommendUseCase {
  constructor(
    private readonly scenarios: ScenarioLookup,
    private readonly features: FeatureStore,
    private readonly events: EventStore,
    private readonly items: LastKnownItems,
    private readonly documentStore: DocumentStoreOutage,
    private readonly recall: RecallService,
    private readonly rankers: RankerRegistry,
    private readonly reranker: Reranker,
    private readonly cache: RecommendationCache,
    private readonly experiments: ExperimentsUseCase,
    @Inject(LOGGER) private readonly logger: AppLogger,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  async recommend(tenantId: string, request: RecommendRequest): Promise<RecommendResponse> {
    if (request.cursor) return this.nextPage(tenantId, request, request.cursor);
    const scenario = await this.scenarios.require(tenantId, request.scenario_id);
    if (scenario.status === 'inactive') throw new DomainError('FAILED_PRECONDITION', `scenario '${scenario.scenario_id}' is inactive`);
    const userId = request.user_id ?? null;
    // A running experiment serves the user's variant: its config overrides merged over the scenario's (validated when the experiment was saved).
    const experiment = userId ? await this.experiments.resolveForServing(tenantId, scenario.scenario_id, userId) : null;
    const served: Scenario = experiment ? { ...scenario, config: deepMerge(scenario.config, experiment.config_overrides) as Scenario['config'] } : scenario;
    const ttl = served.config.cache_ttl_seconds;
    const cacheKey = await this.responseKey(tenantId, userId, served, request, experiment?.experiment_group);
    if (cacheKey && !request.debug && ttl > 0) {
      const cached = await this.orFallback('response cache', this.cache.get<ServedList>(cacheKey), null);
      if (cached) {
        this.metrics?.recommendations.inc({ tenant: tenantId, scenario: scenario.scenario_id, source: 'cache' });
        return this.respond(tenantId, cached, request.count, 0, true);
      }
    }
    const computed = await this.compute(tenantId, served, userId, request);
    this.metrics?.recommendations.inc({ tenant: tenantId, scenario: scenario.scenario_id, source: 'computed' });
    const debug = computed.debug;
    const list: ServedList = experiment
      ? { ...computed.list, experiment: { experiment_id: experiment.experiment_id, experiment_group: experiment.experiment_group, variant_id: experiment.variant_id } }
      : computed.list;
    if (cacheKey && ttl > 0) await this.orFallback('response cache', this.cache.set(cacheKey, list, ttl), undefined);
    const response = await this.respond(tenantId, list, request.count, 0, false);
    return request.debug ? { ...response, debug } : response;
  }

  private async nextPage(tenantId: string, request: RecommendRequest, rawCursor: string): Promise<RecommendResponse> {
    const cursor = decodeCursor(rawCursor);
    const list = await this.cache.get<ServedList>(this.cache.pageKey(tenantId, cursor.requestId));
    if (!list) throw DomainError.invalid('cursor', 'expired or unknown; request the first page again');
    if (list.scenario_id !== request.scenario_id || list.user_id !== (request.user_id ?? null)) {
      throw DomainError.invalid('cursor', 'belongs to another scenario or user');
    }
    return this.respond(tenantId, list, request.count, cursor.offset, true);
  }

  /** Every response gets its own request id (for click attribution) and a stored list for its cursor. */
  private async respond(tenantId: string, list: ServedList, count: number, offset: number, fromCache: boolean): Promise<RecommendResponse> {
    const requestId = randomUUID();
    const page = list.items.slice(offset, offset + count);
    const nextOffset = offset + page.length;
    // Without the page store a cursor could not be honoured, so none is offered.
    const hasMore = nextOffset < list.items.length && (await this.orFallback('page store', this.storePage(tenantId, requestId, list), false));
    if (list.experiment) {
      const attribution = this.cache.set(this.cache.attributionKey(tenantId, requestId), list.experiment, ATTRIBUTION_TTL_SECONDS);
      await this.orFallback('attribution store', attribution, undefined);
    }
    return {
      request_id: requestId,
      scenario_id: list.scenario_id,
      user_id: list.user_id,
      items: page,
      count: page.length,
      next_cursor: hasMore ? encodeCursor({ requestId, offset: nextOffset }) : null,
      experiment_id: list.experiment?.experiment_id ?? null,
      variant_id: list.experiment?.variant_id ?? null,
      from_cache: fromCache,
    };
  }

  private async storePage(tenantId: string, requestId: string, list: ServedList): Promise<boolean> {
    await this.cache.set(this.cache.pageKey(tenantId, requestId), list, PAGE_TTL_SECONDS);
    return true;
  }

  /**
   * A backend with a fallback (cache, real-time features, event history) being
   * unreachable degrades the answer (no cache, non-personalised candidates)
   * instead of failing the request; it recovers by itself once the backend is back.
   */
  private async orFallback<T>(what: string, work: Promise<T>, fallback: T): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'UNAVAILABLE') throw error;
      this.logger.warn({ dependency: what, err: error.message }, 'serving degraded');
      return fallback;
    }
  }

  private async responseKey(tenantId: string, userId: string | null, scenario: Scenario, request: RecommendRequest, experimentGroup?: string): Promise<string | null> {
    const generation = userId ? await this.orFallback('response cache', this.cache.generation(tenantId, userId), null) : 0;
    // Without the user's generation a cached answer could be stale: skip the cache.
    if (generation === null) return null;
    const fingerprint = createHash('sha1')
      .update(JSON.stringify([scenario.scenario_id, scenario.updated_at, request.count, request.filters, experimentGroup ?? null]))
      .digest('base64url');
    return this.cache.responseKey(tenantId, userId ?? '~anonymous', generation, fingerprint);
  }

  private async compute(tenantId: string, scenario: Scenario, userId: string | null, request: RecommendRequest) {
    const timings: Record<string, number> = {};
    let mark = performance.now();
    const lap = (stage: string) => {
      const now = performance.now();
      timings[stage] = Math.round((now - mark) * 1000) / 1000;
      mark = now;
    };
    const config = scenario.config;
    const now = Date.now();
    const recent = userId
      ? (await this.orFallback('feature store', this.features.recent(tenantId, userId, RECENT_WINDOW), [])).filter((r) => r.scenario_id === scenario.scenario_id)
      : [];
    const history = userId ? await this.eventHistory(tenantId, userId, scenario.scenario_id) : [];
    const exclude = this.exclusions([...recent, ...history], request.filters.exclude_ids, scenario, now);
    lap('features');

    const context: UserContext = { tenantId, scenarioId: scenario.scenario_id, userId, recent, now, actionWeights: config.realtime.action_weights };
    const recalled = await this.recall.recall(context, config.recall, exclude);
    lap('recall');

    const keep = buildItemFilter(request.filters, config);
    const items = await this.loadItems(tenantId, scenario.scenario_id, recalled.candidates, keep);
    const candidates = recalled.candidates.filter((c) => items.has(c.item_id));
    lap('load_items');

    const listSize = Math.min(Math.max(request.count * 5, 100), 1000);
    const ranked = await this.rank(tenantId, scenario, userId, candidates, items, now);
    lap('rank');
    let final = this.reranker.rerank(ranked, config.rerank, { now, count: listSize });
    lap('rerank');

    if (final.length < request.count) {
      final = final.concat(await this.fallback(context, scenario, request, exclude, final, keep));
      lap('fallback');
    }
    // An empty list because the item documents are unreachable would read as "nothing to recommend": report the outage.
    if (final.length === 0 && this.documentStore.suspected) throw new DomainError('UNAVAILABLE', 'the document store is unreachable and no copy of the candidate items is known');
    const list: ServedList = {
      scenario_id: scenario.scenario_id,
      user_id: userId,
      items: final.slice(0, listSize).map((entry, position) => ({
        item_id: entry.item.item_id,
        score: Math.round(entry.score * 1e6) / 1e6,
        position,
        strategy: entry.strategy,
        reason: entry.reason,
        metadata: entry.item.metadata,
      })),
    };
    const debug = {
      timings_ms: timings,
      recall: { candidates: recalled.candidates.length, per_strategy_ms: recalled.timings, failures: recalled.failures },
      ranker: this.rankers.get(config.rank.model) ? config.rank.model : 'rule',
      excluded: exclude.size,
    };
    return { list, debug };
  }

  /**
   * The user's newest events of the scenario, for "seen" exclusion. While the
   * document store is presumed down this is skipped rather than waited on: the
   * recent interactions of the feature store still exclude the newest items seen.
   */
  private async eventHistory(tenantId: string, userId: string, scenarioId: string) {
    if (this.documentStore.suspected) return [];
    const read = this.events.recentByUser(tenantId, userId, { scenarioId, limit: SEEN_WINDOW }).catch((error: unknown) => {
      this.documentStore.observe(error);
      throw error;
    });
    return this.orFallback('event history', read, []);
  }

  /** Seen items (any action but an impression), explicit negatives, recent impressions and the request's exclusions. */
  private exclusions(recent: ReadonlyArray<Pick<RecentInteraction, 'item_id' | 'action_type' | 'timestamp'>>, requested: string[], scenario: Scenario, now: number): Set<string> {
    const exclude = new Set(requested);
    const { exclude_seen, suppress_impressions_hours } = scenario.config.filters;
    const impressionHorizon = now - suppress_impressions_hours * 3_600_000;
    for (const interaction of recent) {
      const action = interaction.action_type as ActionType;
      if (NEGATIVE_ACTIONS.has(action)) exclude.add(interaction.item_id);
      else if (action === 'impression') {
        if (suppress_impressions_hours > 0 && interaction.timestamp >= impressionHorizon) exclude.add(interaction.item_id);
      } else if (exclude_seen) exclude.add(interaction.item_id);
    }
    return exclude;
  }

  private async loadItems(tenantId: string, scenarioId: string, candidates: Candidate[], keep: (item: Item) => boolean): Promise<Map<string, Item>> {
    const found = await this.items.getMany(tenantId, scenarioId, candidates.map((c) => c.item_id));
    return new Map(found.filter(keep).map((item) => [item.item_id, item]));
  }

  private async rank(tenantId: string, scenario: Scenario, userId: string | null, candidates: Candidate[], items: Map<string, Item>, now: number) {
    const config = scenario.config.rank;
    const ranker = this.rankers.get(config.model) ?? this.rankers.get('rule');
    if (!ranker) throw new DomainError('INTERNAL', 'the rule ranker is not registered');
    const hotScores = await this.orFallback('feature store', this.features.hotScores(tenantId, scenario.scenario_id, [...items.keys()], now), new Map<string, number>());
    return ranker.rank(candidates, items, { tenantId, scenarioId: scenario.scenario_id, userId, now, hotScores }, config);
  }

  /** Popular, then latest: fills a short page for cold users and thin catalogues. */
  private async fallback(
    context: UserContext,
    scenario: Scenario,
    request: RecommendRequest,
    exclude: Set<string>,
    already: RankedItem[],
    keep: (item: Item) => boolean,
  ): Promise<RankedItem[]> {
    const taken = new Set([...exclude, ...already.map((r) => r.item.item_id)]);
    const limit = Math.max(request.count * 3, 50);
    const strategies = FALLBACK_STRATEGIES.map((name, i) => ({ name, weight: 1 / (i + 1), limit, timeout_ms: FALLBACK_BUDGET_MS, params: {} }));
    const recalled = await this.recall.recall(context, { strategies, total_limit: limit, normalization: 'max' }, taken);
    const items = await this.loadItems(context.tenantId, scenario.scenario_id, recalled.candidates, keep);
    const minScore = already.length ? Math.min(...already.map((r) => r.score)) : 1;
    return recalled.candidates
      .filter((c) => items.has(c.item_id))
      .map((c, i): RankedItem => ({ item: items.get(c.item_id) as Item, score: minScore * (1 - (i + 1) / (limit + 2)), strategy: c.strategy, reason: c.reason }));
  }
}
