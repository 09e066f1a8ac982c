import type { Item, ScenarioConfig } from '@lemo/domain';
import type { Candidate } from '@lemo/recall';
import type { RankContext, RankedItem } from './ranked-item';

/**
 * Orders candidates for one request. Implementations drop candidates without
 * an item in `items` (deleted or unknown) and return best first. Register a new
 * one by adding its class to BUILT_IN_RANKERS (or RankingModule.withRankers);
 * `config.model` picks it by name.
 */
export abstract class Ranker {
  abstract readonly name: string;
  abstract rank(candidates: Candidate[], items: ReadonlyMap<string, Item>, ctx: RankContext, config: ScenarioConfig['rank']): Promise<RankedItem[]>;
}
