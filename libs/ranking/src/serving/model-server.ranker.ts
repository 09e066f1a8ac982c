import type { Item, ScenarioConfig } from '@lemo/domain';
import type { AppLogger, Metrics } from '@lemo/platform-observability';
import type { Candidate } from '@lemo/recall';
import { Counter, Histogram } from 'prom-client';
import { byScore, type LearnedModelRanker } from '../deployed/learned-model.ranker';
import { rankingItemFromItem } from '../learned/catalog-item';
import type { RankContext, RankedItem } from '../ranked-item';
import { Ranker } from '../ranker';
import type { RuleRanker } from '../rule.ranker';
import { ModelServerCallError, type ModelServerClient, type ModelServerFailure } from './model-server.client';

/** Fallbacks are logged at most this often (with the count since the last line), so an outage does not flood the log. */
const FALLBACK_LOG_INTERVAL_MS = 10_000;

/** Outcomes of the api's calls to the model-server, on the process's registry (shared by every kind's ranker). */
export class ModelServerClientMetrics {
  readonly calls: Counter<'outcome'>;
  readonly duration: Histogram<'outcome'>;
  private lastLogged = 0;
  private suppressed = 0;

  constructor(
    metrics: Metrics | undefined,
    private readonly logger: AppLogger | undefined,
  ) {
    const registry = metrics?.registry;
    const existing = registry?.getSingleMetric('lemo_model_server_client_calls_total') as Counter<'outcome'> | undefined;
    this.calls =
      existing ??
      new Counter({
        name: 'lemo_model_server_client_calls_total',
        help: 'Ranking calls to the model-server by outcome: ok, not_found (no deployed model: rule order), or timeout / unreachable / error (ranked in-process instead)',
        labelNames: ['outcome'],
        registers: registry ? [registry] : [],
      });
    this.duration =
      (registry?.getSingleMetric('lemo_model_server_client_duration_seconds') as Histogram<'outcome'> | undefined) ??
      new Histogram({
        name: 'lemo_model_server_client_duration_seconds',
        help: 'Duration of ranking calls to the model-server, by outcome',
        labelNames: ['outcome'],
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
        registers: registry ? [registry] : [],
      });
  }

  fellBack(failure: ModelServerFailure, url: string, message: string): void {
    const now = Date.now();
    if (now - this.lastLogged < FALLBACK_LOG_INTERVAL_MS) {
      this.suppressed += 1;
      return;
    }
    this.logger?.warn({ model_server: url, failure, err: message, fallbacks_not_logged: this.suppressed }, 'model-server call failed; ranking in-process');
    this.lastLogged = now;
    this.suppressed = 0;
  }
}

/**
 * A learned ranker served by the model-server (MODEL_SERVER_URL): the rule
 * ranker drops missing and inactive items, the model-server scores the rest
 * with the tenant's deployed version. When the model-server is unreachable,
 * slow or failing, the same model ranks in this process instead (logged and
 * counted); when it has no deployed version, the rule order stands.
 */
export class ModelServerRanker extends Ranker {
  readonly name: string;

  constructor(
    private readonly inProcess: LearnedModelRanker,
    private readonly rule: RuleRanker,
    private readonly client: ModelServerClient,
    private readonly metrics: ModelServerClientMetrics,
  ) {
    super();
    this.name = inProcess.name;
  }

  async rank(candidates: Candidate[], items: ReadonlyMap<string, Item>, ctx: RankContext, config: ScenarioConfig['rank']): Promise<RankedItem[]> {
    const ruled = await this.rule.rank(candidates, items, ctx, config);
    if (ruled.length === 0) return ruled;
    const stop = this.metrics.duration.startTimer();
    try {
      const answer = await this.client.predict(ctx.tenantId, ctx.scenarioId, this.name, {
        context: { user_id: ctx.userId, timestamp: ctx.now },
        candidates: ruled.map((ranked) => {
          const item = rankingItemFromItem(ranked.item);
          return { item_id: item.itemId, category: item.category, tags: item.tags, published_at: item.publishedAt };
        }),
      });
      stop({ outcome: 'ok' });
      this.metrics.calls.inc({ outcome: 'ok' });
      ctx.report?.({ ranker: this.name, version: answer.version, served_by: 'model_server' });
      return byScore(ruled, answer.scores);
    } catch (error) {
      const failure: ModelServerFailure = error instanceof ModelServerCallError ? error.failure : 'error';
      stop({ outcome: failure });
      this.metrics.calls.inc({ outcome: failure });
      if (failure === 'not_found') {
        ctx.report?.({ ranker: 'rule', version: null, served_by: 'model_server', fallback: `no deployed version of ${this.name}` });
        return ruled;
      }
      this.metrics.fellBack(failure, this.client.url, (error as Error).message);
      return this.inProcess.rescore(ruled, ctx, `model-server ${failure}`);
    }
  }
}
