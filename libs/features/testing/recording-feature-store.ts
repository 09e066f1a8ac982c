import { FeatureStore, type RecentInteraction, type ScoredId } from '@lemo/domain';

/**
 * FeatureStore that records neighbour lists (keyed `tenant/scenario/item`),
 * reads them back, and throws on every other call: the similarity builder
 * must only touch neighbours.
 */
export class RecordingFeatureStore extends FeatureStore {
  readonly written = new Map<string, ScoredId[]>();

  async setNeighbours(tenantId: string, scenarioId: string, itemId: string, neighbours: readonly ScoredId[]): Promise<void> {
    this.written.set(`${tenantId}/${scenarioId}/${itemId}`, [...neighbours]);
  }

  /** The list written for an item of tenant t1 / scenario s1 unless told otherwise. */
  listOf(itemId: string, tenantId = 't1', scenarioId = 's1'): ScoredId[] | undefined {
    return this.written.get(`${tenantId}/${scenarioId}/${itemId}`);
  }

  /** Reads back what was written (the similarity builder reads its watermark). */
  async neighbours(tenantId: string, scenarioId: string, itemIds: readonly string[]): Promise<Map<string, ScoredId[]>> {
    const lists = new Map<string, ScoredId[]>();
    for (const itemId of itemIds) {
      const list = this.written.get(`${tenantId}/${scenarioId}/${itemId}`);
      if (list) lists.set(itemId, [...list]);
    }
    return lists;
  }
  addHotScores(): Promise<void> {
    throw new Error('RecordingFeatureStore.addHotScores: unexpected call');
  }
  topHot(): Promise<ScoredId[]> {
    throw new Error('RecordingFeatureStore.topHot: unexpected call');
  }
  hotScores(): Promise<Map<string, number>> {
    throw new Error('RecordingFeatureStore.hotScores: unexpected call');
  }
  removeItems(): Promise<void> {
    throw new Error('RecordingFeatureStore.removeItems: unexpected call');
  }
  pushRecent(): Promise<void> {
    throw new Error('RecordingFeatureStore.pushRecent: unexpected call');
  }
  recent(): Promise<RecentInteraction[]> {
    throw new Error('RecordingFeatureStore.recent: unexpected call');
  }
  deleteUser(): Promise<void> {
    throw new Error('RecordingFeatureStore.deleteUser: unexpected call');
  }

  scenarioNamespaces(): Promise<never> {
    throw new Error('RecordingFeatureStore.scenarioNamespaces: unexpected call');
  }

  deleteScenario(): Promise<number> {
    throw new Error('RecordingFeatureStore.deleteScenario: unexpected call');
  }

  trimHotScores(): Promise<number> {
    throw new Error('RecordingFeatureStore.trimHotScores: unexpected call');
  }
}
