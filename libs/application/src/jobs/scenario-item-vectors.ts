import { Injectable } from '@nestjs/common';
import { ItemRepository } from '@lemo/domain';
import { ItemVectorsUseCase } from '../catalog/item-vectors.use-case';
import type { ScenarioItemVectorsJob } from './job-names';

/** Items read and embedded per step: one page of the repository, one vector-index upsert. */
const BATCH = 500;

export interface ScenarioItemVectorsResult {
  items: number;
  upserted: number;
  removed: number;
}

/**
 * Rebuilds the vectors of every item of a scenario, page by page, through the
 * same use case as the per-item job: catches up on changes whose job was lost
 * and on embedder changes. Inactive items leave the index, as they do there.
 */
@Injectable()
export class ScenarioItemVectors {
  constructor(
    private readonly items: ItemRepository,
    private readonly itemVectors: ItemVectorsUseCase,
  ) {}

  async run(job: ScenarioItemVectorsJob, onProgress: (percent: number) => Promise<void>, isCancelled: () => boolean): Promise<ScenarioItemVectorsResult> {
    const result: ScenarioItemVectorsResult = { items: 0, upserted: 0, removed: 0 };
    for (let page = 1; !isCancelled(); page++) {
      const { items, total } = await this.items.list(job.tenant_id, job.scenario_id, {}, { page, pageSize: BATCH });
      if (items.length === 0) break;
      const batch = await this.itemVectors.run({ ...job, item_ids: items.map((item) => item.item_id) });
      result.items += items.length;
      result.upserted += batch.upserted;
      result.removed += batch.removed;
      await onProgress(Math.min(99, Math.floor((100 * result.items) / Math.max(1, total))));
      if (items.length < BATCH) break;
    }
    return result;
  }
}
