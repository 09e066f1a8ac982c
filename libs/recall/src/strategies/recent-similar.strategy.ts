import { Injectable } from '@nestjs/common';
import { VectorIndex, type RecallStrategyConfig } from '@lemo/domain';
import { l2NormalizeInPlace, type UserContext } from '@lemo/features';
import type { Candidate } from '../candidate';
import { RecallStrategy } from '../recall-strategy';
import { ScoreAccumulator } from '../scoring/score-accumulator';
import { toCandidates } from '../scoring/to-candidates';
import { halfLifeHoursParam, numberParam } from './params';
import { recentSources, similarToReason, type RecentSource } from './recent-sources';

const REASON = 'similar to your recent items';

interface Seed {
  source: RecentSource;
  vector: Float32Array;
}

/**
 * Vector neighbours of the user's last few positive items. Default mode
 * `mean`: one ANN search around the weighted mean of their unit vectors.
 * `params.mode = 'per_item'`: one search per item, similarities summed by
 * source weight (better for users with several distinct interests, k× the
 * searches). The user's own recent items are never returned. Params:
 * `max_items` (5), `half_life_hours` (72), `mode`.
 */
@Injectable()
export class RecentSimilarRecall extends RecallStrategy {
  readonly name = 'recent_similar';

  constructor(private readonly vectors: VectorIndex) {
    super();
  }

  async recall(ctx: UserContext, config: RecallStrategyConfig, exclude: ReadonlySet<string>): Promise<Candidate[]> {
    const sources = recentSources(ctx, numberParam(config, 'max_items', 5, 1, 50), halfLifeHoursParam(config));
    if (sources.length === 0) return [];
    const found = await this.vectors.get(
      ctx.tenantId,
      ctx.scenarioId,
      sources.map((s) => s.itemId),
    );
    const seeds: Seed[] = [];
    for (const source of sources) {
      const vector = found.get(source.itemId);
      if (vector) seeds.push({ source, vector });
    }
    if (seeds.length === 0) return [];
    const skip = new Set(exclude);
    for (const source of sources) skip.add(source.itemId);
    return config.params.mode === 'per_item' ? this.perItem(ctx, config, seeds, skip) : this.aroundMean(ctx, config, seeds, skip);
  }

  private async aroundMean(ctx: UserContext, config: RecallStrategyConfig, seeds: readonly Seed[], skip: ReadonlySet<string>): Promise<Candidate[]> {
    const query = new Float64Array(this.vectors.dimension);
    for (const { source, vector } of seeds) {
      let length = 0;
      for (let d = 0; d < vector.length; d++) length += vector[d] * vector[d];
      if (length === 0) continue;
      const scale = source.weight / Math.sqrt(length);
      for (let d = 0; d < query.length && d < vector.length; d++) query[d] += scale * vector[d];
    }
    l2NormalizeInPlace(query);
    const hits = await this.vectors.search(ctx.tenantId, ctx.scenarioId, query, config.limit, skip);
    const accumulator = new ScoreAccumulator();
    for (const hit of hits) if (hit.score > 0) accumulator.add(hit.id, hit.score, 0);
    return toCandidates(accumulator, config.limit, this.name, () => ({ reason: REASON }));
  }

  private async perItem(ctx: UserContext, config: RecallStrategyConfig, seeds: readonly Seed[], skip: ReadonlySet<string>): Promise<Candidate[]> {
    const results = await Promise.all(seeds.map((seed) => this.vectors.search(ctx.tenantId, ctx.scenarioId, seed.vector, config.limit, skip)));
    const accumulator = new ScoreAccumulator();
    results.forEach((hits, ref) => {
      for (const hit of hits) if (hit.score > 0) accumulator.add(hit.id, seeds[ref].source.weight * hit.score, ref);
    });
    return toCandidates(accumulator, config.limit, this.name, (slot) => {
      const { source } = seeds[accumulator.bestRef(slot)];
      return { reason: similarToReason(source), source_item_id: source.itemId };
    });
  }
}
