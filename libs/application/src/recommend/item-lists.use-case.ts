import { Injectable } from '@nestjs/common';
import { DomainError, FeatureStore, ItemRepository, VectorIndex, type Item } from '@lemo/domain';
import { ScenarioLookup } from '../scenarios/scenario-lookup';

export interface ListedItem {
  item_id: string;
  score: number;
  reason: string;
  metadata: Record<string, unknown>;
}

/** Non-personalised lists: similar items, popular now, latest. */
@Injectable()
export class ItemListsUseCase {
  constructor(
    private readonly scenarios: ScenarioLookup,
    private readonly features: FeatureStore,
    private readonly items: ItemRepository,
    private readonly vectors: VectorIndex,
  ) {}

  /** Collaborative neighbours first (people who engaged with it also engaged with…), then content neighbours. */
  async similar(tenantId: string, scenarioId: string, itemId: string, count: number): Promise<ListedItem[]> {
    await this.scenarios.require(tenantId, scenarioId);
    const source = await this.items.get(tenantId, scenarioId, itemId);
    if (!source) throw DomainError.notFound('item', itemId);
    const title = typeof source.metadata.title === 'string' ? source.metadata.title : itemId;
    const scored = new Map<string, { score: number; reason: string }>();
    const collaborative = (await this.features.neighbours(tenantId, scenarioId, [itemId])).get(itemId) ?? [];
    for (const neighbour of collaborative) scored.set(neighbour.item_id, { score: 1 + neighbour.score, reason: `people who engaged with "${title}" also engaged with this` });
    const vector = (await this.vectors.get(tenantId, scenarioId, [itemId])).get(itemId);
    if (vector) {
      for (const hit of await this.vectors.search(tenantId, scenarioId, vector, count * 2, new Set([itemId]))) {
        if (!scored.has(hit.id)) scored.set(hit.id, { score: hit.score, reason: `similar content to "${title}"` });
      }
    }
    scored.delete(itemId);
    const ranked = [...scored.entries()].sort((a, b) => b[1].score - a[1].score);
    return this.withItems(tenantId, scenarioId, ranked.map(([id, s]) => ({ id, ...s })), count);
  }

  async popular(tenantId: string, scenarioId: string, count: number): Promise<ListedItem[]> {
    await this.scenarios.require(tenantId, scenarioId);
    const hot = await this.features.topHot(tenantId, scenarioId, count * 2, Date.now());
    return this.withItems(tenantId, scenarioId, hot.map((h) => ({ id: h.item_id, score: h.score, reason: 'popular now' })), count);
  }

  async latest(tenantId: string, scenarioId: string, count: number): Promise<ListedItem[]> {
    await this.scenarios.require(tenantId, scenarioId);
    const items = await this.items.latest(tenantId, scenarioId, count);
    return items.map((item, i) => ({ item_id: item.item_id, score: 1 - i / (items.length + 1), reason: 'new arrival', metadata: item.metadata }));
  }

  private async withItems(tenantId: string, scenarioId: string, ranked: Array<{ id: string; score: number; reason: string }>, count: number): Promise<ListedItem[]> {
    const items = new Map<string, Item>((await this.items.getMany(tenantId, scenarioId, ranked.map((r) => r.id))).map((i) => [i.item_id, i]));
    return ranked
      .filter((r) => items.get(r.id)?.status === 'active')
      .slice(0, count)
      .map((r) => ({ item_id: r.id, score: Math.round(r.score * 1e6) / 1e6, reason: r.reason, metadata: (items.get(r.id) as Item).metadata }));
  }
}
