export * from './stream-job';
export * from './stream-job-control';
export * from './stream-jobs.use-case';
export { StreamJobsHost, CONTROL_POLL_MS } from './stream-jobs.host';
export { AnalyticsSinkJob } from './analytics-sink.job';
export { RealtimeMetricsJob } from './realtime-metrics.job';
export * from './realtime-metrics';
export { RowBatcher, type RowBatcherOptions } from './row-batcher';
export { StreamsModule } from './streams.module';
