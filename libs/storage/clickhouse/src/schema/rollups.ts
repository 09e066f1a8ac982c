/**
 * The pre-aggregated tables fed by materialised views on `user_behaviors`.
 * This is schema: the migration that creates the views and the rebuild after a
 * GDPR delete both build their SQL from these definitions, so a view and its
 * rebuild can never aggregate differently. Change one only together with a
 * new migration.
 */
export interface Rollup {
  table: string;
  view: string;
  /** Grouping columns in table order; `expression` computes one from a `user_behaviors` row (default: the column of that name). */
  dimensions: ReadonlyArray<{ name: string; type: string; expression?: string }>;
  orderBy: readonly string[];
  /** The time bucket dimension and its width. */
  bucket: { column: 'hour' | 'day'; widthMs: number };
  /** Dimensions (besides tenant and bucket) whose touched values narrow a rebuild. */
  keys: readonly string[];
  /** Which `user_behaviors` rows the view aggregates (null: all). */
  where: string | null;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const TENANT = { name: 'tenant_id', type: 'LowCardinality(String)' };
const SCENARIO = { name: 'scenario_id', type: 'LowCardinality(String)' };
const ACTION = { name: 'action_type', type: 'LowCardinality(String)' };
const HOUR = { name: 'hour', type: "DateTime('UTC')", expression: 'toStartOfHour(event_time)' };
const DAY = { name: 'day', type: 'Date', expression: 'toDate(event_time)' };

/** Per tenant, scenario, action and UTC hour: action stats and trends. */
export const HOURLY_ACTION_METRICS: Rollup = {
  table: 'hourly_action_metrics',
  view: 'hourly_action_metrics_mv',
  dimensions: [TENANT, SCENARIO, ACTION, HOUR],
  orderBy: ['tenant_id', 'scenario_id', 'hour', 'action_type'],
  bucket: { column: 'hour', widthMs: HOUR_MS },
  keys: ['scenario_id'],
  where: null,
};

/** Per tenant, scenario, UTC day, item and action: top items. */
export const DAILY_ITEM_STATS: Rollup = {
  table: 'daily_item_stats',
  view: 'daily_item_stats_mv',
  dimensions: [TENANT, SCENARIO, DAY, { name: 'item_id', type: 'String' }, ACTION],
  orderBy: ['tenant_id', 'scenario_id', 'day', 'item_id', 'action_type'],
  bucket: { column: 'day', widthMs: DAY_MS },
  keys: ['scenario_id', 'item_id'],
  where: null,
};

/** Per tenant, experiment, UTC hour, group and action: experiment results (events with a group only). */
export const EXPERIMENT_HOURLY_METRICS: Rollup = {
  table: 'experiment_hourly_metrics',
  view: 'experiment_hourly_metrics_mv',
  dimensions: [TENANT, { name: 'experiment_id', type: 'String' }, { name: 'experiment_group', type: 'LowCardinality(String)' }, ACTION, HOUR],
  orderBy: ['tenant_id', 'experiment_id', 'hour', 'experiment_group', 'action_type'],
  bucket: { column: 'hour', widthMs: HOUR_MS },
  keys: ['experiment_id'],
  where: "experiment_id != '' AND experiment_group != ''",
};

export const ROLLUPS: readonly Rollup[] = [HOURLY_ACTION_METRICS, DAILY_ITEM_STATS, EXPERIMENT_HOURLY_METRICS];

/**
 * `events` sums as parts merge; `users` keeps the exact set (of 128-bit
 * hashes), so distinct users add up exactly across buckets (uniqExactMerge).
 */
const COUNTER_COLUMNS = 'events SimpleAggregateFunction(sum, UInt64), users AggregateFunction(uniqExact, String)';
const COUNTER_STATES = 'count() AS events, uniqExactState(user_id) AS users';

export const rollupColumns = (rollup: Rollup): string => [...rollup.dimensions.map((d) => `${d.name} ${d.type}`), COUNTER_COLUMNS].join(', ');

/** The expression of a dimension over a `user_behaviors` row. */
export const rollupExpression = (rollup: Rollup, name: string): string => rollup.dimensions.find((d) => d.name === name)?.expression ?? name;

/** The rollup's aggregation of `source` rows (the insert block for the view, the table for a rebuild), in table column order. */
export function rollupSelect(rollup: Rollup, source: string, filters: readonly string[] = []): string {
  const columns = rollup.dimensions.map((d) => (d.expression ? `${d.expression} AS ${d.name}` : d.name));
  const where = [...(rollup.where ? [rollup.where] : []), ...filters];
  return (
    `SELECT ${columns.join(', ')}, ${COUNTER_STATES} FROM ${source}` +
    `${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} GROUP BY ${rollup.dimensions.map((d) => d.name).join(', ')}`
  );
}
