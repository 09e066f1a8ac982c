import type { Dataset } from '@lemo/domain';
import { recommender } from '@lemo/contracts';

/** A dataset description as the contract's Dataset: the same snake_case fields, times as ISO-8601 strings. */
export function datasetMessage(dataset: Dataset): recommender.Dataset {
  return recommender.Dataset.fromPartial({
    dataset_id: dataset.dataset_id,
    tenant_id: dataset.tenant_id,
    name: dataset.name,
    description: dataset.description,
    storage_type: dataset.storage_type,
    path: dataset.path,
    file_size: dataset.file_size,
    format: dataset.format,
    row_count: dataset.row_count,
    created_by: dataset.created_by,
    created_at: dataset.created_at,
    updated_at: dataset.updated_at,
  });
}
