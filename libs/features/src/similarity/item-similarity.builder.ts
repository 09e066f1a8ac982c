import { Injectable } from '@nestjs/common';
import { EventStore, FeatureStore, type ActionWeights, type ScoredId } from '@lemo/domain';
import { CosineNeighbours } from './cosine-neighbours';
import { scanScenarioInteractions } from './scenario-interactions';
import { buildUserItemMatrix } from './user-item-matrix';

export interface ItemSimilarityOptions {
  /** Neighbours kept per item. */
  topK?: number;
  /** Added to the cosine denominator; larger values distrust pairs with little support. */
  shrinkage?: number;
  /** Only a user's most recent distinct items count (bounds cost, favours current tastes). */
  maxHistoryPerUser?: number;
  /** Only events at or after this unix ms time. */
  since?: number;
  /** The scenario's realtime.action_weights overrides; contract defaults otherwise. */
  actionWeights?: ActionWeights;
}

export interface ItemSimilarityResult {
  /** Items whose neighbour list was (re)written. */
  items: number;
  /** Neighbour entries written in total. */
  pairs: number;
  ms: number;
}

export type ProgressCallback = (pct: number, stage: string) => Promise<void> | void;

export const DEFAULT_ITEM_SIMILARITY_OPTIONS = { topK: 50, shrinkage: 5, maxHistoryPerUser: 200 } as const;

/** Items computed between two awaits: keeps the event loop responsive and writes batched. */
const WRITE_CHUNK = 512;
const SCAN_SHARE = 50;

/**
 * The item-to-item neighbour lists behind item_cf recall. Reads a scenario's
 * events once, keeps positive implicit feedback (negative and zero-weight
 * actions are ignored), computes shrunk item-item cosine on integer ids and
 * typed arrays, and replaces each seen item's list in the FeatureStore.
 * Items absent from the scanned events keep their previous list.
 */
@Injectable()
export class ItemSimilarityBuilder {
  constructor(
    private readonly events: EventStore,
    private readonly features: FeatureStore,
  ) {}

  async build(tenantId: string, scenarioId: string, options: ItemSimilarityOptions = {}, onProgress?: ProgressCallback): Promise<ItemSimilarityResult> {
    const started = performance.now();
    const topK = positiveInteger('topK', options.topK ?? DEFAULT_ITEM_SIMILARITY_OPTIONS.topK);
    const maxHistory = positiveInteger('maxHistoryPerUser', options.maxHistoryPerUser ?? DEFAULT_ITEM_SIMILARITY_OPTIONS.maxHistoryPerUser);
    const shrinkage = options.shrinkage ?? DEFAULT_ITEM_SIMILARITY_OPTIONS.shrinkage;
    if (!(shrinkage >= 0)) throw new RangeError(`shrinkage must be >= 0, got ${shrinkage}`);

    await onProgress?.(0, 'scan');
    const { log, users, items } = await scanScenarioInteractions(this.events, tenantId, scenarioId, options, (fraction) =>
      onProgress?.(Math.floor(SCAN_SHARE * fraction), 'scan'),
    );

    const matrix = buildUserItemMatrix(log, users.size, items.size, maxHistory);
    const neighbours = new CosineNeighbours(matrix, topK, shrinkage);
    const outItems = new Int32Array(topK);
    const outScores = new Float64Array(topK);
    let pairs = 0;
    for (let chunkStart = 0; chunkStart < items.size; chunkStart += WRITE_CHUNK) {
      await onProgress?.(SCAN_SHARE + Math.floor(((100 - SCAN_SHARE) * chunkStart) / items.size), 'similarity');
      const chunkEnd = Math.min(items.size, chunkStart + WRITE_CHUNK);
      const writes: Promise<void>[] = [];
      for (let item = chunkStart; item < chunkEnd; item++) {
        const count = neighbours.compute(item, outItems, outScores);
        const list: ScoredId[] = new Array(count);
        for (let k = 0; k < count; k++) list[k] = { item_id: items.idAt(outItems[k]), score: outScores[k] };
        pairs += count;
        writes.push(this.features.setNeighbours(tenantId, scenarioId, items.idAt(item), list));
      }
      await Promise.all(writes);
    }
    await onProgress?.(100, 'done');
    return { items: items.size, pairs, ms: Math.round(performance.now() - started) };
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
