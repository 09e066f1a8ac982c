import type { FieldIssue } from '../errors/domain-error';
import { fieldIssues } from '../shared/zod-issues';
import { scenarioConfigSchema, type ScenarioConfig } from './scenario-config';

/** What the running engine offers; the validator checks names against it. */
export interface EngineCapabilities {
  recallStrategies: readonly string[];
  rankers: readonly string[];
}

export interface ConfigValidation {
  valid: boolean;
  errors: FieldIssue[];
  warnings: FieldIssue[];
  /** The config with defaults filled in, when valid. */
  config?: ScenarioConfig;
}

/**
 * Validates a raw scenario config: schema errors first, then the semantic
 * checks a schema cannot express (unknown strategies, weights that cannot
 * produce anything). Warnings flag configs that work but are probably wrong.
 */
export function validateScenarioConfig(raw: unknown, capabilities: EngineCapabilities): ConfigValidation {
  const parsed = scenarioConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) return { valid: false, errors: fieldIssues(parsed.error, 'config'), warnings: [] };
  const config = parsed.data;
  const errors: FieldIssue[] = [];
  const warnings: FieldIssue[] = [];
  const strategies = config.recall.strategies;

  if (strategies.length === 0) errors.push({ field: 'config.recall.strategies', message: 'at least one recall strategy is required' });
  const seen = new Set<string>();
  strategies.forEach((strategy, index) => {
    const field = `config.recall.strategies.${index}`;
    if (!capabilities.recallStrategies.includes(strategy.name)) {
      errors.push({ field: `${field}.name`, message: `unknown recall strategy '${strategy.name}'; available: ${capabilities.recallStrategies.join(', ')}` });
    }
    if (seen.has(strategy.name)) warnings.push({ field: `${field}.name`, message: `strategy '${strategy.name}' is listed more than once` });
    seen.add(strategy.name);
    if (strategy.weight === 0) warnings.push({ field: `${field}.weight`, message: 'weight 0: this strategy never contributes' });
    if (strategy.limit > config.recall.total_limit) {
      warnings.push({ field: `${field}.limit`, message: `limit ${strategy.limit} exceeds recall.total_limit ${config.recall.total_limit}` });
    }
  });
  if (strategies.length > 0 && strategies.every((s) => s.weight === 0)) {
    errors.push({ field: 'config.recall.strategies', message: 'every strategy has weight 0: nothing can be recalled' });
  }
  if (!strategies.some((s) => s.name === 'popular' || s.name === 'latest')) {
    warnings.push({ field: 'config.recall.strategies', message: 'no popular or latest strategy: new users may get empty results' });
  }
  if (!capabilities.rankers.includes(config.rank.model)) {
    errors.push({ field: 'config.rank.model', message: `unknown ranker '${config.rank.model}'; available: ${capabilities.rankers.join(', ')}` });
  }
  config.rerank.rules.forEach((rule, index) => {
    const field = `config.rerank.rules.${index}`;
    if (!rule.item_ids?.length && !rule.condition) errors.push({ field, message: `a ${rule.type} rule needs item_ids or a condition` });
    if (rule.type === 'pin' && !rule.item_ids?.length) errors.push({ field: `${field}.item_ids`, message: 'a pin rule needs item_ids' });
    if ((rule.type === 'boost' || rule.type === 'bury') && rule.factor === undefined) {
      errors.push({ field: `${field}.factor`, message: `a ${rule.type} rule needs a factor` });
    }
    if (rule.type === 'boost' && rule.factor !== undefined && rule.factor < 1) warnings.push({ field: `${field}.factor`, message: 'a boost factor below 1 buries' });
    if (rule.type === 'bury' && rule.factor !== undefined && rule.factor > 1) warnings.push({ field: `${field}.factor`, message: 'a bury factor above 1 boosts' });
  });
  if (config.realtime.window_hours < config.realtime.decay_half_life_hours) {
    warnings.push({ field: 'config.realtime.window_hours', message: 'window shorter than the decay half-life: decay barely matters' });
  }
  return errors.length ? { valid: false, errors, warnings } : { valid: true, errors, warnings, config };
}
