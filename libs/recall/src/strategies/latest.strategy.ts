import { Injectable } from '@nestjs/common';
import { ItemRepository, itemPublishedAt, type RecallStrategyConfig } from '@lemo/domain';
import { halfLifeDecay, type UserContext } from '@lemo/features';
import type { Candidate } from '../candidate';
import { RecallStrategy } from '../recall-strategy';
import { halfLifeHoursParam, overfetch } from './params';

/**
 * The newest active items. Score = 2^(−(newest − published) / half-life), so
 * the newest item scores 1 and older ones decay with their gap to it (params:
 * `half_life_hours`, default 72).
 */
@Injectable()
export class LatestRecall extends RecallStrategy {
  readonly name = 'latest';

  constructor(private readonly items: ItemRepository) {
    super();
  }

  async recall(ctx: UserContext, config: RecallStrategyConfig, exclude: ReadonlySet<string>): Promise<Candidate[]> {
    const halfLife = halfLifeHoursParam(config);
    const latest = await this.items.latest(ctx.tenantId, ctx.scenarioId, overfetch(config.limit, exclude));
    const candidates: Candidate[] = [];
    let newest = Number.NaN;
    for (const item of latest) {
      if (candidates.length === config.limit) break;
      if (exclude.has(item.item_id) || item.status !== 'active') continue;
      const published = itemPublishedAt(item);
      if (Number.isNaN(newest)) newest = published;
      const score = halfLifeDecay(newest - published, halfLife);
      candidates.push({ item_id: item.item_id, score: Number.isFinite(score) ? score : 0, strategy: this.name, reason: 'new arrival' });
    }
    return candidates;
  }
}
