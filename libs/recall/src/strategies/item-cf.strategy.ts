import { Injectable } from '@nestjs/common';
import { FeatureStore, type RecallStrategyConfig } from '@lemo/domain';
import type { UserContext } from '@lemo/features';
import type { Candidate } from '../candidate';
import { RecallStrategy } from '../recall-strategy';
import { ScoreAccumulator } from '../scoring/score-accumulator';
import { toCandidates } from '../scoring/to-candidates';
import { halfLifeHoursParam, numberParam } from './params';
import { recentSources, similarToReason } from './recent-sources';

/**
 * Item-based collaborative filtering: the precomputed neighbours
 * (ItemSimilarityBuilder) of the user's recent positive items. A candidate's
 * score is Σ over sources of source weight × similarity, where a source's
 * weight is its action weight decayed by age; the reason names the source that
 * contributed most. Params: `max_sources` (20), `half_life_hours` (72).
 */
@Injectable()
export class ItemCfRecall extends RecallStrategy {
  readonly name = 'item_cf';

  constructor(private readonly features: FeatureStore) {
    super();
  }

  async recall(ctx: UserContext, config: RecallStrategyConfig, exclude: ReadonlySet<string>): Promise<Candidate[]> {
    const sources = recentSources(ctx, numberParam(config, 'max_sources', 20, 1, 200), halfLifeHoursParam(config));
    if (sources.length === 0) return [];
    const lists = await this.features.neighbours(
      ctx.tenantId,
      ctx.scenarioId,
      sources.map((s) => s.itemId),
    );
    const accumulator = new ScoreAccumulator();
    sources.forEach((source, ref) => {
      for (const neighbour of lists.get(source.itemId) ?? []) {
        if (neighbour.score > 0 && !exclude.has(neighbour.item_id)) accumulator.add(neighbour.item_id, source.weight * neighbour.score, ref);
      }
    });
    return toCandidates(accumulator, config.limit, this.name, (slot) => {
      const source = sources[accumulator.bestRef(slot)];
      return { reason: similarToReason(source), source_item_id: source.itemId };
    });
  }
}
