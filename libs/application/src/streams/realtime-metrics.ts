import type { BehaviorEvent } from '@lemo/domain';

/** The counter series of the real-time metrics (per tenant). */
export const METRICS_SERIES = 'metrics';
/** Bucket width: one minute. */
export const METRICS_BUCKET_MS = 60_000;
/** `minutes` a real-time query may cover at most. */
export const MAX_REALTIME_MINUTES = 120;
/** A bucket lives this long after its start: the longest query plus a margin for late events and clock skew. */
export const METRICS_TTL_SECONDS = (MAX_REALTIME_MINUTES + 10) * 60;

/** Separates the parts of a field; ids cannot contain it (the domain id alphabet has no control characters). */
const SEPARATOR = '\x1f';

/** What one event adds to: its scenario, experiment and group ('' for none) and action. */
export interface MetricKey {
  scenario_id: string;
  experiment_id: string;
  experiment_group: string;
  action_type: string;
}

export const metricBucket = (timestamp: number): number => Math.floor(timestamp / METRICS_BUCKET_MS) * METRICS_BUCKET_MS;

export const metricField = (event: BehaviorEvent): string =>
  [event.scenario_id, event.experiment_id ?? '', event.experiment_group ?? '', event.action_type].join(SEPARATOR);

export function parseMetricField(field: string): MetricKey | null {
  const parts = field.split(SEPARATOR);
  if (parts.length !== 4) return null;
  const [scenario_id, experiment_id, experiment_group, action_type] = parts;
  return { scenario_id, experiment_id, experiment_group, action_type };
}
