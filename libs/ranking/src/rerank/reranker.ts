import { Injectable } from '@nestjs/common';
import { itemPublishedAt, type ScenarioConfig } from '@lemo/domain';
import { halfLifeDecay } from '@lemo/features';
import type { RankedItem } from '../ranked-item';
import { applyBusinessRules, placePins } from './business-rules';
import { categoryWindow, mmr } from './diversity';

export interface RerankContext {
  /** Request time, unix ms. */
  now: number;
  /** How many items to return. */
  count: number;
  /** Item vectors for MMR similarity; without them MMR compares categories. */
  vectors?: ReadonlyMap<string, Float32Array>;
}

/**
 * The last step before serving, in this order:
 * 1. business rules (filter, boost / bury ×factor, pin — see applyBusinessRules);
 * 2. freshness boost: score × (1 + weight · 2^(−age / half_life));
 * 3. re-sort by score (stable: ties keep the ranker's order);
 * 4. diversity (MMR or category window) choosing the unpinned slots;
 * 5. pinned items placed at their positions.
 * Returns at most `count` items, deterministically; the input is not mutated.
 */
@Injectable()
export class Reranker {
  rerank(ranked: RankedItem[], config: ScenarioConfig['rerank'], ctx: RerankContext): RankedItem[] {
    if (ctx.count <= 0) return [];
    const { pool, pinned } = applyBusinessRules(ranked, config.rules);

    if (config.freshness.enabled && config.freshness.weight > 0) {
      for (const r of pool) {
        const decay = halfLifeDecay(ctx.now - itemPublishedAt(r.item), config.freshness.half_life_hours);
        if (Number.isFinite(decay)) r.score *= 1 + config.freshness.weight * decay;
      }
    }

    const order = Array.from(pool.keys()).sort((a, b) => pool[b].score - pool[a].score || a - b);
    const sorted = order.map((i) => pool[i]);
    const free = Math.max(0, ctx.count - pinned.length);
    const { diversity } = config;
    let chosen: RankedItem[];
    if (!diversity.enabled) chosen = sorted.slice(0, free);
    else if (diversity.method === 'mmr') chosen = mmr(sorted, free, diversity.lambda, diversity.category_field, ctx.vectors);
    else chosen = categoryWindow(sorted, free, diversity.window, diversity.max_per_window, diversity.category_field);
    return placePins(chosen, pinned, ctx.count);
  }
}
