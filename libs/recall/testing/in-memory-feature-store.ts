import { FeatureStore, type HotScoreIncrement, type RecentInteraction, type ScoredId } from '@lemo/domain';

const key = (...parts: string[]) => parts.join('/');

/**
 * FeatureStore for recall tests: hot scores are set directly (no decay),
 * neighbour lists and recent interactions are held as given. Calls the
 * serving path never makes (writes of hot scores, recent, deletes) throw.
 * `calls` counts every read, so tests can assert what a strategy touched.
 */
export class InMemoryFeatureStore extends FeatureStore {
  readonly calls: string[] = [];
  private readonly hot = new Map<string, Map<string, number>>();
  private readonly lists = new Map<string, ScoredId[]>();
  private readonly recents = new Map<string, RecentInteraction[]>();

  setHot(scenarioId: string, scores: Record<string, number>, tenantId = 't1'): this {
    this.hot.set(key(tenantId, scenarioId), new Map(Object.entries(scores)));
    return this;
  }

  setRecent(userId: string, interactions: RecentInteraction[], tenantId = 't1'): this {
    this.recents.set(key(tenantId, userId), interactions);
    return this;
  }

  async setNeighbours(tenantId: string, scenarioId: string, itemId: string, neighbours: readonly ScoredId[]): Promise<void> {
    this.lists.set(key(tenantId, scenarioId, itemId), [...neighbours]);
  }

  async topHot(tenantId: string, scenarioId: string, limit: number): Promise<ScoredId[]> {
    this.calls.push(`topHot:${limit}`);
    return [...(this.hot.get(key(tenantId, scenarioId)) ?? new Map<string, number>())]
      .map(([item_id, score]) => ({ item_id, score }))
      .sort((a, b) => b.score - a.score || a.item_id.localeCompare(b.item_id))
      .slice(0, limit);
  }

  async hotScores(tenantId: string, scenarioId: string, itemIds: readonly string[]): Promise<Map<string, number>> {
    this.calls.push('hotScores');
    const scores = this.hot.get(key(tenantId, scenarioId));
    return new Map(itemIds.map((id) => [id, scores?.get(id) ?? 0]));
  }

  async neighbours(tenantId: string, scenarioId: string, itemIds: readonly string[]): Promise<Map<string, ScoredId[]>> {
    this.calls.push(`neighbours:${itemIds.join(',')}`);
    const found = new Map<string, ScoredId[]>();
    for (const id of itemIds) {
      const list = this.lists.get(key(tenantId, scenarioId, id));
      if (list) found.set(id, list);
    }
    return found;
  }

  async recent(tenantId: string, userId: string, limit: number): Promise<RecentInteraction[]> {
    this.calls.push('recent');
    return (this.recents.get(key(tenantId, userId)) ?? []).slice(0, limit);
  }

  addHotScores(_increments: readonly HotScoreIncrement[]): Promise<void> {
    throw new Error('InMemoryFeatureStore.addHotScores: unexpected call');
  }
  removeItems(): Promise<void> {
    throw new Error('InMemoryFeatureStore.removeItems: unexpected call');
  }
  pushRecent(): Promise<void> {
    throw new Error('InMemoryFeatureStore.pushRecent: unexpected call');
  }
  deleteUser(): Promise<void> {
    throw new Error('InMemoryFeatureStore.deleteUser: unexpected call');
  }

  scenarioNamespaces(): Promise<never> {
    throw new Error('InMemoryFeatureStore.scenarioNamespaces: unexpected call');
  }

  deleteScenario(): Promise<number> {
    throw new Error('InMemoryFeatureStore.deleteScenario: unexpected call');
  }

  trimHotScores(): Promise<number> {
    throw new Error('InMemoryFeatureStore.trimHotScores: unexpected call');
  }
}
