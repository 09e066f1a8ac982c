import { z } from 'zod';
import { clientId } from '../shared/identifiers';

export interface Dataset {
  tenant_id: string;
  dataset_id: string;
  name: string;
  description: string;
  storage_type: string;
  path: string;
  format: string;
  file_size: number;
  row_count: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export const createDatasetSchema = z
  .object({
    dataset_id: clientId('dataset_id'),
    name: z.string().min(1).max(256),
    description: z.string().max(4096).default(''),
    storage_type: z.enum(['local', 's3', 'hdfs', 'clickhouse']).default('local'),
    path: z.string().min(1).max(2048),
    format: z.enum(['csv', 'tsv', 'jsonl', 'parquet']).default('csv'),
    file_size: z.number().int().nonnegative().default(0),
    row_count: z.number().int().nonnegative().default(0),
    created_by: z.string().max(128).default(''),
  })
  .strict();
