import { Injectable } from '@nestjs/common';
import { ItemRepository, VectorIndex } from '@lemo/domain';
import { ContentEmbedder } from '@lemo/features';
import type { ItemVectorsJob } from '../jobs/job-names';

/**
 * Builds the vectors of changed items: the client's embedding (its dimension
 * is checked when the item is written), else a content embedding of title,
 * description and tags. Items no longer active leave the index.
 */
@Injectable()
export class ItemVectorsUseCase {
  private readonly embedder: ContentEmbedder;

  constructor(
    private readonly items: ItemRepository,
    private readonly vectors: VectorIndex,
  ) {
    this.embedder = new ContentEmbedder(vectors.dimension);
  }

  async run(job: ItemVectorsJob): Promise<{ upserted: number; removed: number }> {
    const items = await this.items.getMany(job.tenant_id, job.scenario_id, job.item_ids);
    const entries = items
      .filter((item) => item.status === 'active')
      .map((item) => ({ id: item.item_id, vector: item.embedding ?? this.embedder.embed(item) }))
      // An item without text embeds to zeros; cosine is undefined there, so it stays out of the index.
      .filter((entry) => entry.vector.some((x) => x !== 0));
    const indexed = new Set(entries.map((entry) => entry.id));
    const gone = job.item_ids.filter((id) => !indexed.has(id));
    await this.vectors.upsert(job.tenant_id, job.scenario_id, entries);
    if (gone.length) await this.vectors.remove(job.tenant_id, job.scenario_id, gone);
    return { upserted: entries.length, removed: gone.length };
  }
}
