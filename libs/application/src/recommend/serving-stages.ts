import { Inject, Injectable } from '@nestjs/common';
import { DomainError, EventStore, FeatureStore, NEGATIVE_ACTIONS, type ActionType, type Item, type RecentInteraction, type Scenario } from '@lemo/domain';
import type { UserContext } from '@lemo/features';
import type { Candidate } from '@lemo/recall';
import { FALLBACK_RANKER, RankerRegistry, type RankedItem, type RankingReport } from '@lemo/ranking';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';
import { ExperimentsUseCase, type ServingExperiment } from '../experiments/experiments.use-case';
import { ScenarioLookup } from '../scenarios/scenario-lookup';
import { deepMerge } from '../shared/deep-merge';
import { DocumentStoreOutage } from '../shared/document-store-outage';
import { LastKnownItems } from './last-known-items';

/** Recent interactions read per request for recall (item-to-item sources). */
const RECENT_WINDOW = 64;
/** "Seen" covers the user's newest this-many events of the scenario (the event store's per-user index serves it). */
const SEEN_WINDOW = 1000;

/** A scenario as one user is served it, and the experiment whose variant config it carries. */
export interface ServedScenario {
  scenario: Scenario;
  experiment: ServingExperiment | null;
}

/** What recall knows of the user, and the items never to recommend to them. */
export interface UserState {
  context: UserContext;
  exclude: Set<string>;
}

/**
 * The steps of the serving path that every way of serving shares: RecommendUseCase runs them all
 * in one request, and the engine stage use cases (recall, rank, rerank on their own) run each one
 * exactly as it does, so a stage called alone answers what it would inside a recommendation.
 */
@Injectable()
export class ServingStages {
  constructor(
    private readonly scenarios: ScenarioLookup,
    private readonly experiments: ExperimentsUseCase,
    private readonly features: FeatureStore,
    private readonly events: EventStore,
    private readonly items: LastKnownItems,
    private readonly documentStore: DocumentStoreOutage,
    private readonly rankers: RankerRegistry,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  /** True while the document store is presumed down (item reads come from the last known copies). */
  get documentStoreSuspected(): boolean {
    return this.documentStore.suspected;
  }

  /**
   * The active scenario, with the config of the user's experiment variant merged over its own
   * (validated when the experiment was saved). Inactive scenarios serve nothing: FAILED_PRECONDITION.
   */
  async servedScenario(tenantId: string, scenarioId: string, userId: string | null): Promise<ServedScenario> {
    const scenario = await this.scenarios.require(tenantId, scenarioId);
    if (scenario.status === 'inactive') throw new DomainError('FAILED_PRECONDITION', `scenario '${scenario.scenario_id}' is inactive`);
    const experiment = userId ? await this.experiments.resolveForServing(tenantId, scenario.scenario_id, userId) : null;
    const served: Scenario = experiment ? { ...scenario, config: deepMerge(scenario.config, experiment.config_overrides) as Scenario['config'] } : scenario;
    return { scenario: served, experiment };
  }

  /**
   * A backend with a fallback (cache, real-time features, event history) being
   * unreachable degrades the answer (no cache, non-personalised candidates)
   * instead of failing the request; it recovers by itself once the backend is back.
   */
  async orFallback<T>(what: string, work: Promise<T>, fallback: T): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'UNAVAILABLE') throw error;
      this.logger.warn({ dependency: what, err: error.message }, 'serving degraded');
      return fallback;
    }
  }

  /**
   * The user's recent interactions of the scenario (recall's item-to-item sources) and the items to
   * exclude: seen ones (any action but an impression), explicit negatives, recent impressions and
   * `requested`. An anonymous visitor has no history, so only `requested` is excluded.
   */
  async userState(tenantId: string, scenario: Scenario, userId: string | null, requested: readonly string[], now: number): Promise<UserState> {
    const config = scenario.config;
    const recent = userId
      ? (await this.orFallback('feature store', this.features.recent(tenantId, userId, RECENT_WINDOW), [])).filter((r) => r.scenario_id === scenario.scenario_id)
      : [];
    const history = userId ? await this.eventHistory(tenantId, userId, scenario.scenario_id) : [];
    const exclude = exclusions([...recent, ...history], requested, scenario, now);
    return { context: { tenantId, scenarioId: scenario.scenario_id, userId, recent, now, actionWeights: config.realtime.action_weights }, exclude };
  }

  /** The items of `itemIds` that exist (last known copies while the document store is down) and pass `keep`, by id. */
  async loadItems(tenantId: string, scenarioId: string, itemIds: readonly string[], keep: (item: Item) => boolean): Promise<Map<string, Item>> {
    const found = await this.items.getMany(tenantId, scenarioId, itemIds);
    return new Map(found.filter(keep).map((item) => [item.item_id, item]));
  }

  /** Whether `name` is a registered ranker (what a request may name). */
  hasRanker(name: string): boolean {
    return this.rankers.get(name) !== undefined;
  }

  /** Registered ranker names, for messages that list the choices. */
  rankerNames(): string[] {
    return this.rankers.names();
  }

  /**
   * Ranks candidates with the ranker `rankerName` (by default the scenario's `rank.model`; the rule
   * score when it names no registered ranker). A learned ranker serves its deployed version, and the
   * rule score until one is deployed. Returns the ranked items and the ranker's name.
   */
  async rank(
    tenantId: string,
    scenario: Scenario,
    userId: string | null,
    candidates: Candidate[],
    items: ReadonlyMap<string, Item>,
    now: number,
    rankerName = scenario.config.rank.model,
  ): Promise<{ ranked: RankedItem[]; ranker: string; ranking: RankingReport }> {
    const ranker = this.rankers.getOrFallback(rankerName);
    const hotScores = await this.orFallback('feature store', this.features.hotScores(tenantId, scenario.scenario_id, [...items.keys()], now), new Map<string, number>());
    // A learned ranker reports the model and version that actually scored (or why the rule score stood in).
    let ranking: RankingReport = { ranker: ranker.name, version: null, served_by: 'in_process' };
    const report = (actual: RankingReport) => (ranking = actual);
    const ranked = await ranker.rank(candidates, items, { tenantId, scenarioId: scenario.scenario_id, userId, now, hotScores, report }, scenario.config.rank);
    return { ranked, ranker: this.rankers.get(rankerName) ? rankerName : FALLBACK_RANKER, ranking };
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
}

/** Seen items (any action but an impression), explicit negatives, recent impressions and the requested exclusions. */
function exclusions(
  recent: ReadonlyArray<Pick<RecentInteraction, 'item_id' | 'action_type' | 'timestamp'>>,
  requested: readonly string[],
  scenario: Scenario,
  now: number,
): Set<string> {
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
