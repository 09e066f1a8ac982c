import type { FeatureStore } from '@lemo/domain';

/**
 * Where the neighbour lists of a scenario were last built up to. It is stored
 * with the lists themselves, as the list of an id no item can have (item ids
 * start with a letter or digit): it lives in the same store, under the same
 * expiry, and goes when the scenario's lists are deleted, so it never claims
 * lists that are gone. Any process reads it; one finding it missing, or naming
 * a build it does not hold in memory, does a full build.
 */
export interface NeighbourWatermark {
  /** EventStore.readAppended cursor the build read up to. */
  cursor: string;
  /** Which build wrote the lists: the in-memory state of that build carries the same id. */
  build_id: string;
  mode: 'full' | 'incremental';
  /** Positive interactions in the build. */
  interactions: number;
  /** Unix ms. */
  built_at: number;
}

export const WATERMARK_ITEM_ID = '#similarity-watermark';

export async function readWatermark(features: FeatureStore, tenantId: string, scenarioId: string): Promise<NeighbourWatermark | null> {
  const entry = (await features.neighbours(tenantId, scenarioId, [WATERMARK_ITEM_ID])).get(WATERMARK_ITEM_ID)?.[0];
  if (!entry) return null;
  try {
    const watermark = JSON.parse(entry.item_id) as Partial<NeighbourWatermark>;
    return typeof watermark.cursor === 'string' && typeof watermark.build_id === 'string' ? (watermark as NeighbourWatermark) : null;
  } catch {
    return null;
  }
}

export function writeWatermark(features: FeatureStore, tenantId: string, scenarioId: string, watermark: NeighbourWatermark): Promise<void> {
  return features.setNeighbours(tenantId, scenarioId, WATERMARK_ITEM_ID, [{ item_id: JSON.stringify(watermark), score: watermark.built_at }]);
}
