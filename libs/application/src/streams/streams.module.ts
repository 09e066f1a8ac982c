import { Module } from '@nestjs/common';
import { ApplicationModule } from '../application.module';
import { AnalyticsSinkJob } from './analytics-sink.job';
import { RealtimeMetricsJob } from './realtime-metrics.job';
import { ServingFeaturesJob } from './serving-features.job';
import { StreamJobsHost } from './stream-jobs.host';
import { StreamMetrics } from './stream-metrics';

/**
 * The stream jobs over behaviour events (the ClickHouse sink, real-time metrics, serving features): import it
 * where they should run, i.e. the streams app and the all-in-one process.
 * The API only controls them (StreamJobsUseCase, in ApplicationModule).
 */
@Module({ imports: [ApplicationModule], providers: [StreamMetrics, AnalyticsSinkJob, RealtimeMetricsJob, ServingFeaturesJob, StreamJobsHost], exports: [StreamJobsHost] })
export class StreamsModule {}
