import { z } from 'zod';
import { ACTION_TYPE_NAMES, type ActionType } from '../behavior/action-type';
import { scenarioSchedulesSchema } from './scenario-schedules';

/**
 * The typed configuration of a scenario: which recall strategies run and how
 * much each counts, how candidates are ranked and reranked, and how real-time
 * signals are computed. Every field has a default, so `{}` is a valid config;
 * experiment variants override parts of it at serving time.
 */
/**
 * Default time budget of one recall strategy. Generous enough for a networked
 * store under load; a scenario tightens it when its latency target demands.
 */
export const DEFAULT_STRATEGY_BUDGET_MS = 150;

export const recallStrategyConfigSchema = z
  .object({
    name: z.string().min(1).max(64),
    weight: z.number().min(0).max(1000).default(1),
    limit: z.number().int().min(1).max(5000).default(200),
    /** Time budget for this strategy; on overrun its candidates are dropped, the others still serve. */
    timeout_ms: z.number().int().min(1).max(10_000).default(DEFAULT_STRATEGY_BUDGET_MS),
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type RecallStrategyConfig = z.infer<typeof recallStrategyConfigSchema>;

export const conditionSchema = z
  .object({
    field: z.string().min(1).max(128),
    op: z.enum(['eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'contains']),
    value: z.unknown(),
  })
  .strict();
export type Condition = z.infer<typeof conditionSchema>;

export const businessRuleSchema = z
  .object({
    type: z.enum(['pin', 'boost', 'bury', 'filter']),
    item_ids: z.array(z.string()).max(1000).optional(),
    condition: conditionSchema.optional(),
    /** Score multiplier for boost (>1) and bury (<1). */
    factor: z.number().positive().max(1000).optional(),
    /** 0-based slot for pin. */
    position: z.number().int().min(0).max(1000).optional(),
  })
  .strict();
export type BusinessRule = z.infer<typeof businessRuleSchema>;

const defaultStrategies: RecallStrategyConfig[] = [
  { name: 'item_cf', weight: 1.0, limit: 300, timeout_ms: DEFAULT_STRATEGY_BUDGET_MS, params: {} },
  { name: 'recent_similar', weight: 0.8, limit: 200, timeout_ms: DEFAULT_STRATEGY_BUDGET_MS, params: {} },
  { name: 'popular', weight: 0.4, limit: 200, timeout_ms: DEFAULT_STRATEGY_BUDGET_MS, params: {} },
  { name: 'latest', weight: 0.2, limit: 100, timeout_ms: DEFAULT_STRATEGY_BUDGET_MS, params: {} },
];

/**
 * How each strategy's scores are mapped to [0, 1] before the weighted merge:
 * `max` (score / best, as strategies serve them), `minmax` ((score − worst) /
 * (best − worst) over the strategy's list) or `rank` (1 − rank / N). The
 * offline evaluation (`npm run eval -- --normalize`) runs the same mapping.
 */
export const SCORE_NORMALIZATIONS = ['max', 'minmax', 'rank'] as const;
export type ScoreNormalization = (typeof SCORE_NORMALIZATIONS)[number];

export const scenarioConfigSchema = z
  .object({
    recall: z
      .object({
        strategies: z.array(recallStrategyConfigSchema).max(20).default(defaultStrategies),
        total_limit: z.number().int().min(1).max(10_000).default(500),
        normalization: z.enum(SCORE_NORMALIZATIONS).default('max'),
      })
      .strict()
      .default({ strategies: defaultStrategies, total_limit: 500, normalization: 'max' }),
    rank: z
      .object({
        model: z.string().min(1).max(64).default('rule'),
        model_version: z.string().max(64).optional(),
        objective: z.enum(['ctr', 'cvr', 'engagement', 'watch_time']).default('ctr'),
        /** Weights of the rule score: recall score, popularity, freshness. */
        rule_weights: z
          .object({ recall: z.number().min(0).default(1), popularity: z.number().min(0).default(0.3), freshness: z.number().min(0).default(0.1) })
          .strict()
          .default({ recall: 1, popularity: 0.3, freshness: 0.1 }),
      })
      .strict()
      .default({ model: 'rule', objective: 'ctr', rule_weights: { recall: 1, popularity: 0.3, freshness: 0.1 } }),
    rerank: z
      .object({
        diversity: z
          .object({
            enabled: z.boolean().default(true),
            method: z.enum(['mmr', 'category_window']).default('mmr'),
            /** MMR trade-off: 1 = relevance only, 0 = diversity only. */
            lambda: z.number().min(0).max(1).default(0.7),
            /** category_window: at most `max_per_window` items of one category in any `window` consecutive slots. */
            window: z.number().int().min(1).max(100).default(5),
            max_per_window: z.number().int().min(1).max(100).default(2),
            category_field: z.string().min(1).max(64).default('category'),
          })
          .strict()
          .default({ enabled: true, method: 'mmr', lambda: 0.7, window: 5, max_per_window: 2, category_field: 'category' }),
        freshness: z
          .object({
            enabled: z.boolean().default(true),
            half_life_hours: z.number().positive().max(24 * 365).default(72),
            /** Largest multiplicative boost a brand-new item gets (1 + weight). */
            weight: z.number().min(0).max(10).default(0.2),
          })
          .strict()
          .default({ enabled: true, half_life_hours: 72, weight: 0.2 }),
        rules: z.array(businessRuleSchema).max(100).default([]),
      })
      .strict()
      .default({
        diversity: { enabled: true, method: 'mmr', lambda: 0.7, window: 5, max_per_window: 2, category_field: 'category' },
        freshness: { enabled: true, half_life_hours: 72, weight: 0.2 },
        rules: [],
      }),
    filters: z
      .object({
        exclude_seen: z.boolean().default(true),
        /** Items the user was shown (impressions) this recently are not shown again. */
        suppress_impressions_hours: z.number().min(0).max(24 * 30).default(0),
        exclude_categories: z.array(z.string()).max(1000).default([]),
        conditions: z.array(conditionSchema).max(50).default([]),
      })
      .strict()
      .default({ exclude_seen: true, suppress_impressions_hours: 0, exclude_categories: [], conditions: [] }),
    realtime: z
      .object({
        action_weights: z.partialRecord(z.enum(ACTION_TYPE_NAMES), z.number().min(-100).max(100)).default({}),
        /** Half-life of an event's contribution to an item's hot score. */
        decay_half_life_hours: z.number().positive().max(24 * 365).default(24),
        window_hours: z.number().positive().max(24 * 365).default(24 * 7),
      })
      .strict()
      .default({ action_weights: {}, decay_half_life_hours: 24, window_hours: 24 * 7 }),
    features: z
      .object({
        user: z.array(z.string()).max(200).default([]),
        item: z.array(z.string()).max(200).default([]),
        context: z.array(z.string()).max(200).default([]),
      })
      .strict()
      .default({ user: [], item: [], context: [] }),
    cache_ttl_seconds: z.number().int().min(0).max(86_400).default(60),
    /** Beat's per-scenario jobs on this scenario's own cron or 'off' (absent: the deployment's schedules); see scenario-schedules.ts. */
    schedules: scenarioSchedulesSchema.optional(),
  })
  .strict();

export type ScenarioConfig = z.infer<typeof scenarioConfigSchema>;
export type ScenarioConfigInput = z.input<typeof scenarioConfigSchema>;
export type ActionWeights = Partial<Record<ActionType, number>>;

export const defaultScenarioConfig = (): ScenarioConfig => scenarioConfigSchema.parse({});
