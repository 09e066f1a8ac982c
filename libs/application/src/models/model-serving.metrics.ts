import { Injectable, Optional } from '@nestjs/common';
import type { ServedRankers } from '@lemo/ranking';
import { Metrics } from '@lemo/platform-observability';
import { Counter, Gauge, Histogram } from 'prom-client';

/** The model-server's Prometheus metrics: predictions, batch sizes, latency, loaded models, loads and swaps. */
@Injectable()
export class ModelServingMetrics {
  readonly predictions: Counter<'model' | 'kind'>;
  readonly candidates: Histogram<'kind'>;
  readonly latency: Histogram<'kind'>;
  readonly loads: Counter<'model'>;
  readonly swaps: Counter<'model'>;
  readonly failures: Counter<'code'>;
  private readonly loaded: Gauge;
  private pool: ServedRankers | null = null;

  constructor(@Optional() metrics?: Metrics) {
    const registers = metrics ? [metrics.registry] : [];
    this.predictions = new Counter({
      name: 'lemo_model_predictions_total',
      help: 'Candidate lists scored, by model (algorithm) and call kind (single or batch)',
      labelNames: ['model', 'kind'],
      registers,
    });
    this.candidates = new Histogram({
      name: 'lemo_model_predict_candidates',
      help: 'Candidates scored per predict call (all lists of a batch together)',
      labelNames: ['kind'],
      buckets: [1, 10, 50, 100, 200, 500, 1000, 5000, 20000, 100000],
      registers,
    });
    this.latency = new Histogram({
      name: 'lemo_model_predict_duration_seconds',
      help: 'Predict call duration in the model-server (loading a model the call waits for included)',
      labelNames: ['kind'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    });
    this.loads = new Counter({ name: 'lemo_model_loads_total', help: 'Model versions loaded from the registry', labelNames: ['model'], registers });
    this.swaps = new Counter({ name: 'lemo_model_swaps_total', help: 'Deployed-version changes applied (hot-swaps, undeploys)', labelNames: ['model'], registers });
    this.failures = new Counter({ name: 'lemo_model_predict_failures_total', help: 'Predict calls refused or failed, by error code', labelNames: ['code'], registers });
    const loadedNow = () => this.pool?.size ?? 0;
    this.loaded = new Gauge({
      name: 'lemo_models_loaded',
      help: 'Model versions held in memory (replaced ones still finishing requests included)',
      registers,
      collect() {
        this.set(loadedNow());
      },
    });
  }

  /** The pool whose size the loaded-models gauge reports. */
  watch(pool: ServedRankers): void {
    this.pool = pool;
  }
}
