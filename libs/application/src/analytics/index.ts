export * from './analytics-requests';
export * from './analytics.use-case';
export { ServingLatency, type LatencySummary } from './serving-latency';
export * from './realtime-metrics.use-case';
export * from './ingestion-reports.use-case';
