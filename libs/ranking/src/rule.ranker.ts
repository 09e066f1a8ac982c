import { Injectable } from '@nestjs/common';
import { itemPublishedAt, type Item, type ScenarioConfig } from '@lemo/domain';
import { halfLifeDecay } from '@lemo/features';
import type { Candidate } from '@lemo/recall';
import type { RankContext, RankedItem } from './ranked-item';
import { Ranker } from './ranker';

const DEFAULT_FRESHNESS_HALF_LIFE_HOURS = 72;

/**
 * The always-available ranker:
 *   score = w_recall · recall / max recall
 *         + w_popularity · ln(1 + hot) / ln(1 + max hot)
 *         + w_freshness · 2^(−age / half-life)
 * with the weights of config.rule_weights and maxima over this request's
 * candidates, so each term lies in [0, 1]. Candidates whose item is missing
 * or not active are dropped. Ties keep the recall order.
 */
@Injectable()
export class RuleRanker extends Ranker {
  readonly name = 'rule';

  async rank(candidates: Candidate[], items: ReadonlyMap<string, Item>, ctx: RankContext, config: ScenarioConfig['rank']): Promise<RankedItem[]> {
    const kept: RankedItem[] = [];
    const recall = new Float64Array(candidates.length);
    const popularity = new Float64Array(candidates.length);
    let maxRecall = 0;
    let maxPopularity = 0;
    for (const candidate of candidates) {
      const item = items.get(candidate.item_id);
      if (!item || item.status !== 'active') continue;
      const i = kept.length;
      recall[i] = Math.max(0, candidate.score) || 0;
      popularity[i] = Math.log1p(Math.max(0, ctx.hotScores.get(candidate.item_id) ?? 0)) || 0;
      if (recall[i] > maxRecall) maxRecall = recall[i];
      if (popularity[i] > maxPopularity) maxPopularity = popularity[i];
      kept.push({ item, score: 0, strategy: candidate.strategy, reason: candidate.reason });
    }
    const { recall: wRecall, popularity: wPopularity, freshness: wFreshness } = config.rule_weights;
    const halfLife = ctx.freshnessHalfLifeHours ?? DEFAULT_FRESHNESS_HALF_LIFE_HOURS;
    const order = new Int32Array(kept.length);
    const scores = new Float64Array(kept.length);
    for (let i = 0; i < kept.length; i++) {
      const freshness = halfLifeDecay(ctx.now - itemPublishedAt(kept[i].item), halfLife) || 0;
      scores[i] =
        (maxRecall > 0 ? (wRecall * recall[i]) / maxRecall : 0) +
        (maxPopularity > 0 ? (wPopularity * popularity[i]) / maxPopularity : 0) +
        wFreshness * freshness;
      kept[i].score = scores[i];
      order[i] = i;
    }
    order.sort((a, b) => scores[b] - scores[a] || a - b);
    return Array.from(order, (i) => kept[i]);
  }
}
