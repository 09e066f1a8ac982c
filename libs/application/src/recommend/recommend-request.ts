import { z } from 'zod';
import { clientId, conditionSchema } from '@lemo/domain';
import type { RankingReport } from '@lemo/ranking';

export const recommendFiltersSchema = z
  .object({
    exclude_ids: z.array(z.string().max(128)).max(5000).default([]),
    /** Only these categories, when given. */
    categories: z.array(z.string().max(128)).max(1000).default([]),
    exclude_categories: z.array(z.string().max(128)).max(1000).default([]),
    /** Metadata conditions every returned item must meet. */
    conditions: z.array(conditionSchema).max(50).default([]),
  })
  .strict();

export const recommendRequestSchema = z
  .object({
    scenario_id: clientId('scenario_id'),
    /** Falls back to the X-User-Id header; absent for anonymous visitors (popular/latest only). */
    user_id: clientId('user_id').optional(),
    count: z.number().int().min(1).max(1000).default(10),
    filters: recommendFiltersSchema.default({ exclude_ids: [], categories: [], exclude_categories: [], conditions: [] }),
    context: z.record(z.string(), z.unknown()).default({}),
    /** Cursor from a previous response: returns the next page of that list, never repeating an item. */
    cursor: z.string().max(512).optional(),
    debug: z.boolean().default(false),
  })
  .strict();

export type RecommendRequest = z.infer<typeof recommendRequestSchema>;
export type RecommendFilters = z.infer<typeof recommendFiltersSchema>;

export interface RecommendedItem {
  item_id: string;
  score: number;
  position: number;
  strategy: string;
  reason: string;
  metadata: Record<string, unknown>;
}

export interface RecommendResponse {
  request_id: string;
  scenario_id: string;
  user_id: string | null;
  items: RecommendedItem[];
  count: number;
  next_cursor: string | null;
  experiment_id: string | null;
  variant_id: string | null;
  from_cache: boolean;
  debug?: {
    timings_ms: Record<string, number>;
    recall: { candidates: number; per_strategy_ms: Record<string, number>; failures: Record<string, string> };
    ranker: string;
    /** The model that actually ordered the list: version, where it ran (in-process or the model-server), and any fallback. */
    ranked_by: RankingReport;
    excluded: number;
  };
}
