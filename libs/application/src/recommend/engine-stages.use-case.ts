import { Injectable } from '@nestjs/common';
import { businessRuleSchema, DEFAULT_STRATEGY_BUDGET_MS, DomainError, parseOrThrow, scenarioConfigSchema, type BusinessRule, type Item, type ScenarioConfig } from '@lemo/domain';
import { RecallRegistry, RecallService, type Candidate } from '@lemo/recall';
import { Reranker, type RankedItem } from '@lemo/ranking';
import { deepMerge } from '../shared/deep-merge';
import type { MultiRecallRequest, RankRequest, RerankRequest, StageDebug } from './engine-stage-requests';
import { buildItemFilter } from './item-filter';
import { ServingStages, type ServedScenario } from './serving-stages';

/** The strategy name given items carry into ranking and reranking: no recall strategy found them here. */
export const GIVEN_STRATEGY = 'given';

export interface ScoredItemId {
  item_id: string;
  score: number;
}

export interface MultiRecallResult {
  /** Merged candidates, best first, excluding the user's seen and disliked items and those the filters drop. */
  candidates: Candidate[];
  debug: Pick<StageDebug, 'experiment_id' | 'variant_id'> & {
    /** The strategies run, in config order. */
    strategies: string[];
    per_strategy_ms: Record<string, number>;
    failures: Record<string, string>;
    /** Candidates recall merged before the filters (and missing or inactive items) removed some. */
    recalled: number;
    excluded: number;
  };
}

export interface RankResult {
  ranked: ScoredItemId[];
  debug: StageDebug & { ranker: string };
}

export interface RerankResult {
  reranked: ScoredItemId[];
  debug: StageDebug & { filtered: string[] };
}

const rerankSection = scenarioConfigSchema.shape.rerank.unwrap();
const diversitySchema = rerankSection.shape.diversity.unwrap();
const freshnessSchema = rerankSection.shape.freshness.unwrap();
const ruleParamsSchema = businessRuleSchema.omit({ type: true });

/**
 * The engine's stages one at a time — recall, rank, rerank — for callers that compose their own
 * pipeline. Each runs the very code a recommendation runs (ServingStages, RecallService, the ranker
 * registry, Reranker) on the scenario's config as the user is served it (their experiment variant's,
 * when one is running), so a stage answers what it would inside GetRecommendations.
 */
@Injectable()
export class EngineStagesUseCase {
  constructor(
    private readonly stages: ServingStages,
    private readonly recall: RecallService,
    private readonly strategies: RecallRegistry,
    private readonly reranker: Reranker,
  ) {}

  /**
   * Runs the scenario's recall strategies (or the requested ones instead) in parallel under their
   * budgets, excluding what serving excludes for the user, then keeps the candidates whose items
   * are active and pass the filters — the list ranking would receive.
   */
  async multiRecall(tenantId: string, request: MultiRecallRequest): Promise<MultiRecallResult> {
    request.strategies?.forEach((strategy, index) => {
      if (!this.strategies.get(strategy.name)) {
        throw DomainError.invalid(`strategies.${index}.name`, `unknown recall strategy '${strategy.name}' (registered: ${this.strategies.names().join(', ')})`);
      }
    });
    const userId = request.user_id ?? null;
    const served = await this.stages.servedScenario(tenantId, request.scenario_id, userId);
    const { scenario } = served;
    const recallConfig = request.strategies ? { ...scenario.config.recall, strategies: withBudgets(request.strategies, scenario.config.recall.strategies) } : scenario.config.recall;
    const now = Date.now();
    const { context, exclude } = await this.stages.userState(tenantId, scenario, userId, request.filters.exclude_ids, now);
    const recalled = await this.recall.recall(context, recallConfig, exclude);
    const ids = recalled.candidates.map((candidate) => candidate.item_id);
    const items = await this.itemsOrOutage(tenantId, scenario.scenario_id, ids, buildItemFilter(request.filters, scenario.config));
    return {
      candidates: recalled.candidates.filter((candidate) => items.has(candidate.item_id)),
      debug: {
        ...experimentOf(served),
        strategies: recallConfig.strategies.filter((strategy) => strategy.weight > 0).map((strategy) => strategy.name),
        per_strategy_ms: recalled.timings,
        failures: recalled.failures,
        recalled: recalled.candidates.length,
        excluded: exclude.size,
      },
    };
  }

  /**
   * Ranks the given items for the user with the scenario's ranker (or the requested one): a learned
   * ranker's deployed version, or the rule score. The items come without recall scores, so each gets
   * the same one: the ranker's other signals (model, popularity, freshness) order them and the given
   * order breaks ties. Unknown and inactive items are dropped, as the rankers drop them in serving.
   */
  async rank(tenantId: string, request: RankRequest): Promise<RankResult> {
    if (request.ranker !== undefined && !this.stages.hasRanker(request.ranker)) {
      throw DomainError.invalid('ranker', `unknown ranker '${request.ranker}' (registered: ${this.stages.rankerNames().join(', ')})`);
    }
    const userId = request.user_id ?? null;
    const served = await this.stages.servedScenario(tenantId, request.scenario_id, userId);
    const { scenario } = served;
    const { unique, repeated } = firstOccurrences(request.item_ids);
    const now = Date.now();
    const items = await this.itemsOrOutage(tenantId, scenario.scenario_id, unique, () => true);
    const candidates: Candidate[] = unique.filter((id) => items.has(id)).map((id) => ({ item_id: id, score: 1, strategy: GIVEN_STRATEGY, reason: '' }));
    const { ranked, ranker } = await this.stages.rank(tenantId, scenario, userId, candidates, items, now, request.ranker ?? scenario.config.rank.model);
    const kept = new Set(ranked.map((entry) => entry.item.item_id));
    return {
      ranked: ranked.map(scoredItemId),
      debug: { ...experimentOf(served), dropped: [...unique.filter((id) => !kept.has(id)), ...repeated], ranker },
    };
  }

  /**
   * Reranks the given scored items with the scenario's rerank section — business rules, freshness
   * boost, diversity — and the request's rules on top. Returns every item that no filter rule
   * removed; unknown and inactive items are dropped (serving never reranks them).
   */
  async rerank(tenantId: string, request: RerankRequest): Promise<RerankResult> {
    const userId = request.user_id ?? null;
    const served = await this.stages.servedScenario(tenantId, request.scenario_id, userId);
    const { scenario } = served;
    const config = rerankConfigWith(scenario.config.rerank, request.rules);
    const scores = new Map<string, number>();
    const repeated: string[] = [];
    for (const entry of request.ranked_items) {
      if (scores.has(entry.item_id)) repeated.push(entry.item_id);
      else scores.set(entry.item_id, entry.score);
    }
    const now = Date.now();
    const items = await this.itemsOrOutage(tenantId, scenario.scenario_id, [...scores.keys()], (item) => item.status === 'active');
    const input: RankedItem[] = [...scores].flatMap(([id, score]) => {
      const item = items.get(id);
      return item ? [{ item, score, strategy: GIVEN_STRATEGY, reason: '' }] : [];
    });
    const reranked = this.reranker.rerank(input, config, { now, count: input.length });
    const returned = new Set(reranked.map((entry) => entry.item.item_id));
    return {
      reranked: reranked.map(scoredItemId),
      debug: {
        ...experimentOf(served),
        dropped: [...[...scores.keys()].filter((id) => !items.has(id)), ...repeated],
        filtered: input.map((entry) => entry.item.item_id).filter((id) => !returned.has(id)),
      },
    };
  }

  /** An empty load because the item documents are unreachable would read as "no such items": report the outage instead. */
  private async itemsOrOutage(tenantId: string, scenarioId: string, ids: string[], keep: (item: Item) => boolean): Promise<Map<string, Item>> {
    const items = await this.stages.loadItems(tenantId, scenarioId, ids, keep);
    if (items.size === 0 && ids.length > 0 && this.stages.documentStoreSuspected) {
      throw new DomainError('UNAVAILABLE', 'the document store is unreachable and no copy of the items is known');
    }
    return items;
  }
}

/**
 * The scenario's rerank section with the request's rules applied in order: `diversity` and
 * `freshness` params merge over that section (validated whole, so a bad value names
 * `rules.<i>.params.<field>`), business rules follow the scenario's own.
 */
export function rerankConfigWith(base: ScenarioConfig['rerank'], rules: RerankRequest['rules']): ScenarioConfig['rerank'] {
  let config = base;
  const added: BusinessRule[] = [];
  rules.forEach((rule, index) => {
    const field = `rules.${index}.params`;
    switch (rule.name) {
      case 'diversity':
        config = { ...config, diversity: parseOrThrow(diversitySchema, deepMerge(config.diversity, rule.params), field) };
        break;
      case 'freshness':
        config = { ...config, freshness: parseOrThrow(freshnessSchema, deepMerge(config.freshness, rule.params), field) };
        break;
      default:
        added.push({ type: rule.name, ...parseOrThrow(ruleParamsSchema, rule.params, field) });
    }
  });
  return { ...config, rules: [...config.rules, ...added] };
}

/** Requested strategies without a budget take the scenario's for the same name, else the default. */
function withBudgets(requested: NonNullable<MultiRecallRequest['strategies']>, configured: ScenarioConfig['recall']['strategies']): ScenarioConfig['recall']['strategies'] {
  return requested.map((strategy) => ({
    ...strategy,
    timeout_ms: strategy.timeout_ms ?? configured.find((own) => own.name === strategy.name)?.timeout_ms ?? DEFAULT_STRATEGY_BUDGET_MS,
  }));
}

function experimentOf(served: ServedScenario): Pick<StageDebug, 'experiment_id' | 'variant_id'> {
  return { experiment_id: served.experiment?.experiment_id ?? null, variant_id: served.experiment?.variant_id ?? null };
}

function firstOccurrences(ids: readonly string[]): { unique: string[]; repeated: string[] } {
  const seen = new Set<string>();
  const repeated: string[] = [];
  for (const id of ids) {
    if (seen.has(id)) repeated.push(id);
    else seen.add(id);
  }
  return { unique: [...seen], repeated };
}

const scoredItemId = (entry: RankedItem): ScoredItemId => ({ item_id: entry.item.item_id, score: Math.round(entry.score * 1e6) / 1e6 });
