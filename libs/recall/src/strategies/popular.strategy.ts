import { Injectable } from '@nestjs/common';
import { FeatureStore, type RecallStrategyConfig } from '@lemo/domain';
import type { UserContext } from '@lemo/features';
import type { Candidate } from '../candidate';
import { RecallStrategy } from '../recall-strategy';
import { overfetch } from './params';

/**
 * The scenario's hottest items right now (action-weighted, time-decayed hot
 * scores). Hot scores are heavy-tailed, so the score is ln(1 + hot) relative
 * to the top kept item's: the tail keeps a usable share instead of ~0.
 */
@Injectable()
export class PopularRecall extends RecallStrategy {
  readonly name = 'popular';

  constructor(private readonly features: FeatureStore) {
    super();
  }

  async recall(ctx: UserContext, config: RecallStrategyConfig, exclude: ReadonlySet<string>): Promise<Candidate[]> {
    const hot = await this.features.topHot(ctx.tenantId, ctx.scenarioId, overfetch(config.limit, exclude), ctx.now);
    const candidates: Candidate[] = [];
    let top = 0;
    for (const { item_id, score } of hot) {
      if (candidates.length === config.limit) break;
      if (exclude.has(item_id) || !(score > 0)) continue;
      if (top === 0) top = Math.log1p(score);
      candidates.push({ item_id, score: Math.log1p(score) / top, strategy: this.name, reason: 'popular now' });
    }
    return candidates;
  }
}
