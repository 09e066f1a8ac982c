import type { RecallStrategyConfig } from '@lemo/domain';

/**
 * Reads a numeric knob from a strategy's free-form params. Serving must not
 * fail on a bad knob, so anything missing, non-numeric or outside [min, max]
 * falls back to the default.
 */
export function numberParam(config: RecallStrategyConfig, name: string, fallback: number, min: number, max: number): number {
  const value = config.params[name];
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : fallback;
}

/** How many to ask a store for so that `limit` remain after dropping excluded ids (bounded). */
export function overfetch(limit: number, exclude: ReadonlySet<string>): number {
  return limit + Math.min(exclude.size, 1000);
}

/** The `half_life_hours` knob shared by the recency-aware strategies (hours, default 72). */
export const halfLifeHoursParam = (config: RecallStrategyConfig): number => numberParam(config, 'half_life_hours', 72, 0.01, 24 * 365);
