import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus registry and the metrics every app shares. Apps and
 * adapters add their own through `registry`.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly recommendations: Counter<'tenant' | 'scenario' | 'source'>;
  readonly eventsAccepted: Counter<'tenant'>;
  readonly jobsFinished: Counter<'queue' | 'name' | 'outcome'>;

  constructor(serviceName: string) {
    this.registry.setDefaultLabels({ service: serviceName });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.recommendations = new Counter({
      name: 'lemo_recommendations_served_total',
      help: 'First pages of recommendations served, by source: the response cache, a precomputed list, or computed',
      labelNames: ['tenant', 'scenario', 'source'],
      registers: [this.registry],
    });
    this.eventsAccepted = new Counter({ name: 'lemo_behavior_events_accepted_total', help: 'Behaviour events stored', labelNames: ['tenant'], registers: [this.registry] });
    this.jobsFinished = new Counter({
      name: 'lemo_jobs_finished_total',
      help: 'Background jobs finished by outcome',
      labelNames: ['queue', 'name', 'outcome'],
      registers: [this.registry],
    });
  }
}
