import { Injectable, Optional } from '@nestjs/common';
import { Metrics } from '@lemo/platform-observability';

/** Label of the recommend route in `http_request_duration_seconds`. */
const RECOMMEND_ROUTE = /\/recommend$/;

export interface LatencySummary {
  /** Always `process`: a process's own histogram, since it started, every tenant together. */
  scope: 'process';
  requests: number;
  mean_ms: number | null;
  /** Interpolated within the histogram's buckets, so only as precise as they are. */
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

export interface ServedSummary {
  /** Always `process`: this process's counters since it started. */
  scope: 'process';
  /** First pages of recommendations served to the tenant. */
  served: number;
  /** Share of them answered from the response cache; null before any. */
  cache_hit_rate: number | null;
}

/**
 * Recommendation latency from the process's Prometheus histogram of HTTP
 * durations (POST .../recommend). Prometheus sees every replica; this is the
 * one replica that answers, which is what a dashboard without a Prometheus
 * query can honestly show. A process that serves no HTTP reports no requests.
 */
@Injectable()
export class ServingLatency {
  constructor(@Optional() private readonly metrics?: Metrics) {}

  /** Recommendations served to one tenant and how many came from the response cache (lemo_recommendations_served_total). */
  async served(tenantId: string): Promise<ServedSummary> {
    if (!this.metrics) return { scope: 'process', served: 0, cache_hit_rate: null };
    const { values } = await this.metrics.recommendations.get();
    let served = 0;
    let fromCache = 0;
    for (const sample of values) {
      if (sample.labels.tenant !== tenantId) continue;
      served += sample.value;
      if (sample.labels.source === 'cache') fromCache += sample.value;
    }
    return { scope: 'process', served, cache_hit_rate: served > 0 ? fromCache / served : null };
  }

  async summary(): Promise<LatencySummary> {
    const empty: LatencySummary = { scope: 'process', requests: 0, mean_ms: null, p50_ms: null, p95_ms: null, p99_ms: null };
    if (!this.metrics) return empty;
    const { values } = await this.metrics.httpDuration.get();
    const ofRecommend = values.filter((sample) => sample.labels.method === 'POST' && RECOMMEND_ROUTE.test(String(sample.labels.route ?? '')));
    const buckets = new Map<number, number>();
    let count = 0;
    let sum = 0;
    for (const sample of ofRecommend) {
      if (sample.metricName?.endsWith('_count')) count += sample.value;
      else if (sample.metricName?.endsWith('_sum')) sum += sample.value;
      else if (sample.metricName?.endsWith('_bucket')) {
        // Bucket samples carry `le`, which the histogram's label type does not list.
        const upper = (sample.labels as Record<string, string | number | undefined>).le;
        const le = upper === '+Inf' ? Number.POSITIVE_INFINITY : Number(upper);
        buckets.set(le, (buckets.get(le) ?? 0) + sample.value);
      }
    }
    if (count === 0) return empty;
    const cumulative = [...buckets].sort(([a], [b]) => a - b);
    return {
      scope: 'process',
      requests: count,
      mean_ms: (sum / count) * 1000,
      p50_ms: quantileMs(cumulative, count, 0.5),
      p95_ms: quantileMs(cumulative, count, 0.95),
      p99_ms: quantileMs(cumulative, count, 0.99),
    };
  }
}

/** The quantile by linear interpolation inside its bucket (as PromQL's histogram_quantile); the top finite bound when it falls in +Inf. */
export function quantileMs(cumulative: ReadonlyArray<readonly [number, number]>, count: number, q: number): number | null {
  const rank = q * count;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [upperBound, upperCount] of cumulative) {
    if (upperCount >= rank) {
      if (!Number.isFinite(upperBound)) return lowerBound * 1000;
      const inBucket = upperCount - lowerCount;
      const fraction = inBucket > 0 ? (rank - lowerCount) / inBucket : 1;
      return (lowerBound + (upperBound - lowerBound) * fraction) * 1000;
    }
    lowerBound = upperBound;
    lowerCount = upperCount;
  }
  return null;
}
