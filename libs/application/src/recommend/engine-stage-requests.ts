import { z } from 'zod';
import { clientId, recallStrategyConfigSchema } from '@lemo/domain';
import { recommendFiltersSchema } from './recommend-request';

/** Item ids a stage request may carry: as many as serving ranks at most (RecommendUseCase's list size cap). */
const MAX_STAGE_ITEMS = 1000;
const itemIdSchema = z.string().min(1, 'must not be empty').max(128);

/** Recall on its own: the scenario's strategies, or the ones given (same shape as the scenario config's). */
export const multiRecallRequestSchema = z
  .object({
    scenario_id: clientId('scenario_id'),
    /** Without a user, only strategies that need no history (popular, latest) find anything. */
    user_id: clientId('user_id').optional(),
    /**
     * Replace the scenario's strategies for this call; every name must be a registered strategy. Without a
     * `timeout_ms`, a strategy gets the scenario's budget for the same name (else the default one).
     */
    strategies: z
      .array(recallStrategyConfigSchema.extend({ timeout_ms: recallStrategyConfigSchema.shape.timeout_ms.unwrap().optional() }))
      .min(1)
      .max(20)
      .optional(),
    /** Applied to the recalled items as serving applies them before ranking. */
    filters: recommendFiltersSchema.default({ exclude_ids: [], categories: [], exclude_categories: [], conditions: [] }),
  })
  .strict();
export type MultiRecallRequest = z.infer<typeof multiRecallRequestSchema>;

/** Ranking of given items for a user. */
export const rankRequestSchema = z
  .object({
    scenario_id: clientId('scenario_id'),
    user_id: clientId('user_id').optional(),
    /** The candidates, best recall first: the order breaks ties of the ranker's score. */
    item_ids: z.array(itemIdSchema).min(1, 'must name at least one item').max(MAX_STAGE_ITEMS),
    /** A registered ranker instead of the scenario's `rank.model`. */
    ranker: z.string().min(1).max(64).optional(),
  })
  .strict();
export type RankRequest = z.infer<typeof rankRequestSchema>;

/** The rules a rerank request may add to the scenario's rerank section. */
export const RERANK_RULE_NAMES = ['diversity', 'freshness', 'pin', 'boost', 'bury', 'filter'] as const;

/** Reranking of given, already scored items for a user. */
export const rerankRequestSchema = z
  .object({
    scenario_id: clientId('scenario_id'),
    user_id: clientId('user_id').optional(),
    ranked_items: z
      .array(z.object({ item_id: itemIdSchema, score: z.number().finite() }).strict())
      .min(1, 'must name at least one item')
      .max(MAX_STAGE_ITEMS),
    /**
     * `diversity` / `freshness`: params merged over the scenario's section of that name (e.g.
     * `{ enabled: false }`); `pin` / `boost` / `bury` / `filter`: a business rule (params: item_ids,
     * condition, factor, position) applied after the scenario's own rules.
     */
    rules: z
      .array(z.object({ name: z.enum(RERANK_RULE_NAMES), params: z.record(z.string(), z.unknown()).default({}) }).strict())
      .max(100)
      .default([]),
  })
  .strict();
export type RerankRequest = z.infer<typeof rerankRequestSchema>;

/** What a stage call tells beside its result: which experiment's config it used, and what it left out. */
export interface StageDebug {
  experiment_id: string | null;
  variant_id: string | null;
  /** Given item ids that were not used: unknown to the scenario, not active, or repeated. */
  dropped: string[];
}
