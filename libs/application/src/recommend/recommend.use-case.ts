import { Injectable, Optional } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DomainError, type Item, type Scenario } from '@lemo/domain';
import type { UserContext } from '@lemo/features';
import { RecallService } from '@lemo/recall';
import { Reranker, type RankedItem } from '@lemo/ranking';
import { Metrics } from '@lemo/platform-observability';
import { decodeCursor, encodeCursor } from './cursor';
import { buildItemFilter } from './item-filter';
import { PrecomputedLists } from './precomputed-lists';
import { RecommendationCache } from './recommendation-cache';
import { recommendRequestSchema, type RecommendRequest, type RecommendResponse, type RecommendedItem } from './recommend-request';
import { ServingStages } from './serving-stages';

/**
 * The page size the precompute job computes for: its list is as long as that
 * of any request up to this count (see listSize in compute), so such requests
 * without filters can be answered from it.
 */
export const PRECOMPUTE_COUNT = 20;

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
/** The fallback chain when personalised recall cannot fill a page. */
const FALLBACK_STRATEGIES = ['popular', 'latest'];
/** The last resort must answer: its budget is wide, unlike the personalised strategies'. */
const FALLBACK_BUDGET_MS = 1000;

@Injectable()
export class RecommendUseCase {
  constructor(
    private readonly stages: ServingStages,
    private readonly recall: RecallService,
    private readonly reranker: Reranker,
    private readonly cache: RecommendationCache,
    private readonly precomputed: PrecomputedLists,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  async recommend(tenantId: string, request: RecommendRequest): Promise<RecommendResponse> {
    if (request.cursor) return this.nextPage(tenantId, request, request.cursor);
    const userId = request.user_id ?? null;
    // A running experiment serves the user's variant: its config overrides merged over the scenario's.
    const { scenario, experiment } = await this.stages.servedScenario(tenantId, request.scenario_id, userId);
    const ttl = scenario.config.cache_ttl_seconds;
    const generation = userId ? await this.stages.orFallback('response cache', this.cache.generation(tenantId, userId), null) : 0;
    const cacheKey = this.responseKey(tenantId, userId, generation, scenario, request, experiment?.experiment_group);
    if (cacheKey && !request.debug && ttl > 0) {
      const cached = await this.stages.orFallback('response cache', this.cache.get<ServedList>(cacheKey), null);
      if (cached) {
        this.metrics?.recommendations.inc({ tenant: tenantId, scenario: scenario.scenario_id, source: 'cache' });
        return this.respond(tenantId, cached, request.count, 0, true);
      }
    }
    if (userId && generation !== null && !request.debug && answersFromPrecomputed(request)) {
      const precomputed = await this.stages.orFallback('precomputed lists', this.precomputed.get(tenantId, userId, scenario.scenario_id), null);
      // Only a list computed since the user's last event (same generation), for this scenario version and experiment group.
      const usable =
        precomputed !== null &&
        precomputed.generation === generation &&
        precomputed.fingerprint === precomputeFingerprint(scenario, experiment?.experiment_group) &&
        precomputed.items.length >= request.count;
      // Items deleted, deactivated or filtered out since the list was computed are dropped (one batch read of the list's items).
      const live = usable ? await this.stages.loadItems(tenantId, scenario.scenario_id, precomputed.items.map((i) => i.item_id), buildItemFilter(request.filters, scenario.config)) : null;
      const items = live ? (precomputed?.items ?? []).filter((i) => live.has(i.item_id)).map((item, position) => ({ ...item, position })) : [];
      if (usable && items.length >= request.count) {
        const list: ServedList = { scenario_id: scenario.scenario_id, user_id: userId, items, ...(precomputed.experiment && { experiment: precomputed.experiment }) };
        this.metrics?.recommendations.inc({ tenant: tenantId, scenario: scenario.scenario_id, source: 'precomputed' });
        if (cacheKey && ttl > 0) await this.stages.orFallback('response cache', this.cache.set(cacheKey, list, ttl), undefined);
        return this.respond(tenantId, list, request.count, 0, true);
      }
    }
    const computed = await this.compute(tenantId, scenario, userId, request);
    this.metrics?.recommendations.inc({ tenant: tenantId, scenario: scenario.scenario_id, source: 'computed' });
    const debug = computed.debug;
    const list: ServedList = experiment
      ? { ...computed.list, experiment: { experiment_id: experiment.experiment_id, experiment_group: experiment.experiment_group, variant_id: experiment.variant_id } }
      : computed.list;
    if (cacheKey && ttl > 0) await this.stages.orFallback('response cache', this.cache.set(cacheKey, list, ttl), undefined);
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
    const hasMore = nextOffset < list.items.length && (await this.stages.orFallback('page store', this.storePage(tenantId, requestId, list), false));
    if (list.experiment) {
      const attribution = this.cache.set(this.cache.attributionKey(tenantId, requestId), list.experiment, ATTRIBUTION_TTL_SECONDS);
      await this.stages.orFallback('attribution store', attribution, undefined);
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
   * The precompute job's work for one user: the list a request of
   * PRECOMPUTE_COUNT without filters would get now, through the same pipeline,
   * stored against the user's generation read before computing (an event
   * during the computation makes the list unservable, never stale).
   * False when there is nothing to store (an empty list).
   */
  async precompute(tenantId: string, scenarioId: string, userId: string): Promise<boolean> {
    const { scenario, experiment } = await this.stages.servedScenario(tenantId, scenarioId, userId);
    const generation = await this.cache.generation(tenantId, userId);
    const request = recommendRequestSchema.parse({ scenario_id: scenarioId, user_id: userId, count: PRECOMPUTE_COUNT });
    const { list } = await this.compute(tenantId, scenario, userId, request);
    if (list.items.length === 0) return false;
    await this.precomputed.put(tenantId, userId, scenarioId, {
      generation,
      fingerprint: precomputeFingerprint(scenario, experiment?.experiment_group),
      computed_at: Date.now(),
      ...(experiment && { experiment: { experiment_id: experiment.experiment_id, experiment_group: experiment.experiment_group, variant_id: experiment.variant_id } }),
      items: list.items,
    });
    return true;
  }

  private responseKey(tenantId: string, userId: string | null, generation: number | null, scenario: Scenario, request: RecommendRequest, experimentGroup?: string): string | null {
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
    const { context, exclude } = await this.stages.userState(tenantId, scenario, userId, request.filters.exclude_ids, now);
    lap('features');

    const recalled = await this.recall.recall(context, config.recall, exclude);
    lap('recall');

    const keep = buildItemFilter(request.filters, config);
    const items = await this.stages.loadItems(tenantId, scenario.scenario_id, recalled.candidates.map((c) => c.item_id), keep);
    const candidates = recalled.candidates.filter((c) => items.has(c.item_id));
    lap('load_items');

    const listSize = Math.min(Math.max(request.count * 5, 100), 1000);
    const { ranked, ranker, ranking } = await this.stages.rank(tenantId, scenario, userId, candidates, items, now);
    lap('rank');
    let final = this.reranker.rerank(ranked, config.rerank, { now, count: listSize });
    lap('rerank');

    if (final.length < request.count) {
      final = final.concat(await this.fallback(context, scenario, request, exclude, final, keep));
      lap('fallback');
    }
    // An empty list because the item documents are unreachable would read as "nothing to recommend": report the outage.
    if (final.length === 0 && this.stages.documentStoreSuspected) throw new DomainError('UNAVAILABLE', 'the document store is unreachable and no copy of the candidate items is known');
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
      ranker,
      ranked_by: ranking,
      excluded: exclude.size,
    };
    return { list, debug };
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
    const items = await this.stages.loadItems(context.tenantId, scenario.scenario_id, recalled.candidates.map((c) => c.item_id), keep);
    const minScore = already.length ? Math.min(...already.map((r) => r.score)) : 1;
    return recalled.candidates
      .filter((c) => items.has(c.item_id))
      .map((c, i): RankedItem => ({ item: items.get(c.item_id) as Item, score: minScore * (1 - (i + 1) / (limit + 2)), strategy: c.strategy, reason: c.reason }));
  }
}

/** A first page with no filters and at most PRECOMPUTE_COUNT items: what a precomputed list answers. */
function answersFromPrecomputed(request: RecommendRequest): boolean {
  const { exclude_ids, categories, exclude_categories, conditions } = request.filters;
  return request.count <= PRECOMPUTE_COUNT && exclude_ids.length + categories.length + exclude_categories.length + conditions.length === 0;
}

/** What a precomputed list depends on besides the user: the scenario's version (a config change bumps updated_at) and the experiment group. */
function precomputeFingerprint(scenario: Scenario, experimentGroup?: string): string {
  return createHash('sha1')
    .update(JSON.stringify([scenario.scenario_id, scenario.updated_at, experimentGroup ?? null]))
    .digest('base64url');
}
