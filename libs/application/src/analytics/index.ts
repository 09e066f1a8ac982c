export * from './analytics-requests';
export * from './analytics.use-case';
export * from './analytics-ingestion';
export { ServingLatency, type LatencySummary } from './serving-latency';
