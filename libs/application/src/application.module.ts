import { Module } from '@nestjs/common';
import { FeaturesModule } from '@lemo/features';
import { RecallModule } from '@lemo/recall';
import { RankingModule } from '@lemo/ranking';
import { TenantAdminUseCase } from './tenants/tenant-admin.use-case';
import { EngineCapabilitiesProvider } from './scenarios/engine-capabilities';
import { ScenarioLookup } from './scenarios/scenario-lookup';
import { ScenariosUseCase } from './scenarios/scenarios.use-case';
import { TemplatesUseCase } from './scenarios/templates.use-case';
import { ItemsUseCase } from './catalog/items.use-case';
import { ItemVectorsUseCase } from './catalog/item-vectors.use-case';
import { UsersUseCase } from './users/users.use-case';
import { ServingUpdates } from './behavior/serving-updates';
import { ServingFeatureWrites } from './behavior/serving-features';
import { TrackBehaviorsUseCase } from './behavior/track-behaviors.use-case';
import { TrackingSchemasUseCase } from './behavior/tracking-schemas.use-case';
import { RecommendationCache } from './recommend/recommendation-cache';
import { LastKnownItems } from './recommend/last-known-items';
import { RecommendUseCase } from './recommend/recommend.use-case';
import { ServingStages } from './recommend/serving-stages';
import { EngineStagesUseCase } from './recommend/engine-stages.use-case';
import { DatasetsUseCase } from './datasets/datasets.use-case';
import { DocumentStoreOutage } from './shared/document-store-outage';
import { ItemListsUseCase } from './recommend/item-lists.use-case';
import { BackgroundJobs } from './jobs/background-jobs';
import { JobMetrics } from './jobs/job-metrics';
import { ScenarioItemVectors } from './jobs/scenario-item-vectors';
import { PrecomputedLists } from './recommend/precomputed-lists';
import { StoredProfiles } from './users/stored-profiles';
import { UserProfilesJobRunner } from './jobs/user-profiles.job';
import { PrecomputeJobRunner } from './jobs/precompute.job';
import { CacheCleanupJobRunner } from './jobs/cache-cleanup.job';
import { RecallModelTrainingUseCase } from './models/recall-model-training.use-case';
import { ModelsUseCase } from './models/models.use-case';
import { ModelVersions } from './models/model-versions';
import { RankerTrainingUseCase } from './models/ranker-training.use-case';
import { JobsUseCase } from './jobs/jobs.use-case';
import { SystemTemplatesSeeder } from './scenarios/system-templates.seeder';
import { ExperimentsUseCase } from './experiments/experiments.use-case';
import { AnalyticsUseCase } from './analytics/analytics.use-case';
import { ServingLatency } from './analytics/serving-latency';
import { StreamJobControl } from './streams/stream-job-control';
import { StreamJobsUseCase } from './streams/stream-jobs.use-case';
import { RealtimeMetricsUseCase } from './analytics/realtime-metrics.use-case';
import { IngestionReportsUseCase } from './analytics/ingestion-reports.use-case';

const useCases = [
  TenantAdminUseCase,
  EngineCapabilitiesProvider,
  ScenarioLookup,
  ScenariosUseCase,
  TemplatesUseCase,
  ItemsUseCase,
  ItemVectorsUseCase,
  UsersUseCase,
  ServingUpdates,
  ServingFeatureWrites,
  TrackBehaviorsUseCase,
  TrackingSchemasUseCase,
  DocumentStoreOutage,
  LastKnownItems,
  RecommendationCache,
  ServingStages,
  RecommendUseCase,
  EngineStagesUseCase,
  DatasetsUseCase,
  ItemListsUseCase,
  ModelVersions,
  RecallModelTrainingUseCase,
  RankerTrainingUseCase,
  ModelsUseCase,
  JobsUseCase,
  ExperimentsUseCase,
  ServingLatency,
  AnalyticsUseCase,
  StreamJobControl,
  StreamJobsUseCase,
  RealtimeMetricsUseCase,
  IngestionReportsUseCase,
  PrecomputedLists,
  StoredProfiles,
];

/**
 * Every use case, shared by REST, gRPC, queue processors and stream handlers.
 * Expects the domain ports from a storage module (embedded or cluster) and
 * AppConfig / LOGGER from the platform modules, all global.
 */
@Module({
  imports: [FeaturesModule, RecallModule, RankingModule],
  providers: [...useCases, SystemTemplatesSeeder],
  exports: [...useCases, RecallModule, RankingModule, FeaturesModule],
})
export class ApplicationModule {}

/** Adds the job handlers: import it where jobs should run (worker, all-in-one). The bus → analytics store copy is a stream job (StreamsModule). */
@Module({ imports: [ApplicationModule], providers: [ScenarioItemVectors, BackgroundJobs, JobMetrics, UserProfilesJobRunner, PrecomputeJobRunner, CacheCleanupJobRunner] })
export class BackgroundJobsModule {}
