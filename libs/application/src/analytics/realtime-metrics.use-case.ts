import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { ACTION_TYPE_NAMES, DomainError, RealtimeCounters } from '@lemo/domain';
import { ScenarioLookup } from '../scenarios/scenario-lookup';
import { MAX_REALTIME_MINUTES, METRICS_BUCKET_MS, METRICS_SERIES, metricBucket, parseMetricField } from '../streams/realtime-metrics';

export const realtimeMetricsQuerySchema = z
  .object({
    scenario_id: z.string().min(1).max(128).optional(),
    /** The last `minutes` minutes, the current (partial) one included. */
    minutes: z.coerce.number().int().min(1).max(MAX_REALTIME_MINUTES).default(15),
    /** The action counted as a conversion (as in experiment results). */
    conversion_action: z.enum(ACTION_TYPE_NAMES, { error: `conversion_action must be one of: ${ACTION_TYPE_NAMES.join(', ')}` }).default('purchase'),
  })
  .strict();
export type RealtimeMetricsQuery = z.infer<typeof realtimeMetricsQuerySchema>;

export interface RealtimeCounts {
  impressions: number;
  clicks: number;
  conversions: number;
  events: number;
  /** clicks / impressions; null without impressions. */
  ctr: number | null;
}

export interface RealtimeMetricsReport {
  scenario_id: string | null;
  minutes: number;
  conversion_action: string;
  /** [from, to) in unix ms: whole minutes, the last one still running. */
  range: { from: number; to: number };
  totals: RealtimeCounts;
  /** Per experiment and group (events without an experiment are left out), ordered by experiment then group. */
  experiment_groups: Array<RealtimeCounts & { experiment_id: string; experiment_group: string }>;
  /** One entry per minute of the range, oldest first (zeros where nothing happened). */
  series: Array<RealtimeCounts & { minute_start: number }>;
}

interface Tally {
  impressions: number;
  clicks: number;
  conversions: number;
  events: number;
}

const emptyTally = (): Tally => ({ impressions: 0, clicks: 0, conversions: 0, events: 0 });
const withCtr = (tally: Tally): RealtimeCounts => ({ ...tally, ctr: tally.impressions > 0 ? tally.clicks / tally.impressions : null });

/**
 * Reads the real-time metrics the streams app's `realtime-metrics` job counts
 * per minute: impressions, clicks, conversions and events over the last N
 * minutes, in total, per experiment group and per minute. Counts are measured
 * (each event once), and as fresh as the job's consumption of the bus.
 */
@Injectable()
export class RealtimeMetricsUseCase {
  constructor(
    private readonly counters: RealtimeCounters,
    private readonly scenarios: ScenarioLookup,
  ) {}

  async read(tenantId: string, query: RealtimeMetricsQuery, now = Date.now()): Promise<RealtimeMetricsReport> {
    const scenarioId = query.scenario_id ?? null;
    if (scenarioId !== null && !(await this.scenarios.find(tenantId, scenarioId))) throw new DomainError('NOT_FOUND', `scenario '${scenarioId}' not found`);
    const last = metricBucket(now);
    const buckets = Array.from({ length: query.minutes }, (_, i) => last - (query.minutes - 1 - i) * METRICS_BUCKET_MS);
    const counts = await this.counters.read(tenantId, METRICS_SERIES, buckets);

    const totals = emptyTally();
    const groups = new Map<string, Tally & { experiment_id: string; experiment_group: string }>();
    const series = buckets.map((bucket) => {
      const minute = emptyTally();
      for (const [field, count] of Object.entries(counts.get(bucket) ?? {})) {
        const key = parseMetricField(field);
        if (!key || (scenarioId !== null && key.scenario_id !== scenarioId)) continue;
        const add = (tally: Tally) => {
          tally.events += count;
          if (key.action_type === 'impression') tally.impressions += count;
          if (key.action_type === 'click') tally.clicks += count;
          if (key.action_type === query.conversion_action) tally.conversions += count;
        };
        add(minute);
        add(totals);
        if (key.experiment_id && key.experiment_group) {
          const id = JSON.stringify([key.experiment_id, key.experiment_group]);
          const group = groups.get(id) ?? { experiment_id: key.experiment_id, experiment_group: key.experiment_group, ...emptyTally() };
          add(group);
          groups.set(id, group);
        }
      }
      return { minute_start: bucket, ...withCtr(minute) };
    });
    const experimentGroups = [...groups.values()]
      .sort((a, b) => a.experiment_id.localeCompare(b.experiment_id) || a.experiment_group.localeCompare(b.experiment_group))
      .map((group) => ({ ...group, ...withCtr(group) }));
    return {
      scenario_id: scenarioId,
      minutes: query.minutes,
      conversion_action: query.conversion_action,
      range: { from: buckets[0], to: last + METRICS_BUCKET_MS },
      totals: withCtr(totals),
      experiment_groups: experimentGroups,
      series,
    };
  }
}
