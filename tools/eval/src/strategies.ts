import {
  AlsTrainer,
  BprTrainer,
  ContentTrainer,
  DEFAULT_ALS_PARAMS,
  DEFAULT_BPR_PARAMS,
  DEFAULT_CONTENT_PARAMS,
  DEFAULT_EASE_PARAMS,
  DEFAULT_ITEM_KNN_PARAMS,
  DEFAULT_USER_KNN_PARAMS,
  EaseTrainer,
  ItemKnnTrainer,
  PopularityTrainer,
  UserKnnTrainer,
  type ImplicitTrainer,
  type ItemText,
} from './engine';

/** What a trainer may need beyond the interaction matrix. */
export interface StrategyContext {
  /** Item texts in item index order (from --items); content needs them. */
  itemTexts?: readonly ItemText[];
}

/** A strategy the tool can evaluate: the product's trainer and the params it trains with by default. */
export interface StrategyDefinition {
  /** The recall strategy's name in scenario config (the model's `algorithm`). */
  name: string;
  /** The trainer, or why it cannot run with this context. */
  create: (context: StrategyContext) => ImplicitTrainer<object> | { unavailable: string };
  /** The product's defaults. */
  defaults: Readonly<Record<string, unknown>>;
}

/** Every engine model, by its recall-strategy name. */
export const STRATEGIES: readonly StrategyDefinition[] = [
  { name: 'popular', create: () => new PopularityTrainer(), defaults: {} },
  { name: 'item_cf', create: () => new ItemKnnTrainer(), defaults: DEFAULT_ITEM_KNN_PARAMS },
  { name: 'user_cf', create: () => new UserKnnTrainer(), defaults: DEFAULT_USER_KNN_PARAMS },
  { name: 'ease', create: () => new EaseTrainer(), defaults: DEFAULT_EASE_PARAMS },
  { name: 'als', create: () => new AlsTrainer(), defaults: DEFAULT_ALS_PARAMS },
  { name: 'bpr', create: () => new BprTrainer(), defaults: DEFAULT_BPR_PARAMS },
  {
    name: 'content',
    create: ({ itemTexts }) => (itemTexts ? new ContentTrainer(itemTexts) : { unavailable: 'content needs item texts: pass --items <file> --item-columns …' }),
    defaults: DEFAULT_CONTENT_PARAMS,
  },
];

/**
 * The blend evaluated as "the pipeline" when --pipeline is not given: what
 * `--tune` found, starting from every strategy at 1, on a validation split
 * carved from the ML-100K ms-recommenders training part (never its test),
 * scaled so that ease = 1. Re-tune when a model or its defaults change.
 */
export const DEFAULT_PIPELINE_WEIGHTS: Readonly<Record<string, number>> = { ease: 1, als: 1, bpr: 0.25, user_cf: 0.125, popular: 0.125 };

export function strategyNamed(name: string, registry: readonly StrategyDefinition[] = STRATEGIES): StrategyDefinition {
  const found = registry.find((strategy) => strategy.name === name);
  if (!found) throw new Error(`unknown strategy '${name}' (known: ${registry.map((s) => s.name).join(', ')})`);
  return found;
}
