import type { ItemSimilarityBuilder, ItemSimilarityResult, ProgressCallback } from '@lemo/features';
import type { ItemSimilarityJob } from './job-names';

/**
 * The item_similarity job. The debounced run after new events
 * (`mode: 'incremental'`) updates the neighbour lists from the events
 * appended since the last build; ItemSimilarityBuilder.update falls back to a
 * full build when it cannot (no watermark, no state in this process, a large
 * increment). Every other run — beat's hourly tick, a tenant's trigger, a job
 * queued before `mode` existed — rebuilds in full, which also bounds any
 * drift (events deleted since).
 */
export function runItemSimilarityJob(
  builder: Pick<ItemSimilarityBuilder, 'build' | 'update'>,
  data: ItemSimilarityJob,
  onProgress: ProgressCallback,
): Promise<ItemSimilarityResult> {
  return data.mode === 'incremental'
    ? builder.update(data.tenant_id, data.scenario_id, {}, onProgress)
    : builder.build(data.tenant_id, data.scenario_id, {}, onProgress);
}
