import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobQueue, type JobHandler, type QueueName } from '@lemo/domain';
import { ItemSimilarityBuilder } from '@lemo/features';
import { AppConfig } from '@lemo/platform-config';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';
import { ItemVectorsUseCase } from '../catalog/item-vectors.use-case';
import { RecallModelTrainingUseCase } from '../models/recall-model-training.use-case';
import { RankerTrainingUseCase } from '../models/ranker-training.use-case';
import { trainingRunOf } from '../models/model-versions';
import { CacheCleanupJobRunner } from './cache-cleanup.job';
import { PrecomputeJobRunner } from './precompute.job';
import { UserProfilesJobRunner } from './user-profiles.job';
import { JOBS, type CacheCleanupJob, type PrecomputeJob, type UserProfilesJob, type ItemSimilarityJob, type ItemVectorsJob, type RankerTrainingJob, type RecallTrainingJob, type ScenarioItemVectorsJob } from './job-names';
import { runItemSimilarityJob } from './item-similarity.job';
import { JobMetrics } from './job-metrics';
import { ScenarioItemVectors } from './scenario-item-vectors';
import { runInJobContext } from '../shared/request-trace';

/**
 * Registers the job handlers with the queue. Imported by the worker app and
 * the all-in-one process; an api-only process enqueues but never runs jobs.
 * Every name of a queue is registered in one place: Bull fails a job whose
 * name has no handler in the process that takes it.
 */
@Injectable()
export class BackgroundJobs implements OnApplicationBootstrap {
  constructor(
    private readonly queue: JobQueue,
    private readonly itemVectors: ItemVectorsUseCase,
    private readonly scenarioItemVectors: ScenarioItemVectors,
    private readonly similarity: ItemSimilarityBuilder,
    private readonly recallTraining: RecallModelTrainingUseCase,
    private readonly rankerTraining: RankerTrainingUseCase,
    private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: AppLogger,
    private readonly userProfiles: UserProfilesJobRunner,
    private readonly precompute: PrecomputeJobRunner,
    private readonly cacheCleanup: CacheCleanupJobRunner,
    private readonly jobMetrics: JobMetrics,
  ) {}

  /** Registers a handler that runs with the request id of whoever queued the job in its log lines. */
  private process<T>(queue: QueueName, name: string, handler: JobHandler<T>, concurrency: number): void {
    this.queue.process<T>(queue, name, (context) => runInJobContext(context.job, () => this.jobMetrics.time(queue, name, () => handler(context))), concurrency);
  }

  onApplicationBootstrap(): void {
    // WORKER_CONCURRENCY_<QUEUE>: how many jobs of the queue this process runs at once.
    const concurrency = this.config.background.workerConcurrency;
    this.process<ItemVectorsJob>(JOBS.itemVectors.queue, JOBS.itemVectors.name, async ({ job }) => this.itemVectors.run(job.data), concurrency.item_processing);
    this.process<ScenarioItemVectorsJob>(
      JOBS.scenarioItemVectors.queue,
      JOBS.scenarioItemVectors.name,
      async ({ job, reportProgress, isCancelled }) => {
        const result = await this.scenarioItemVectors.run(job.data, (pct) => reportProgress(pct, 'embed'), isCancelled);
        this.logger.info({ job: job.name, tenant: job.data.tenant_id, scenario: job.data.scenario_id, ...result }, 'scenario item vectors rebuilt');
        return result;
      },
      concurrency.item_processing,
    );
    this.process<ItemSimilarityJob>(
      JOBS.itemSimilarity.queue,
      JOBS.itemSimilarity.name,
      async ({ job, reportProgress }) => {
        const result = await runItemSimilarityJob(this.similarity, job.data, (pct, stage) => reportProgress(pct, stage));
        this.logger.info({ job: job.name, tenant: job.data.tenant_id, scenario: job.data.scenario_id, ...result }, 'item similarity rebuilt');
        return result;
      },
      concurrency.default,
    );
    this.process<RecallTrainingJob>(
      JOBS.recallTraining.queue,
      JOBS.recallTraining.name,
      async ({ job, reportProgress }) => {
        // The run's key makes a retried or recovered run finish the version it recorded instead of adding a second one.
        const result = await this.recallTraining.train({ ...job.data, training_run: trainingRunOf(job) }, (pct, stage) => reportProgress(pct, stage));
        this.logger.info({ job: job.name, tenant: job.data.tenant_id, scenario: job.data.scenario_id, ...result }, 'recall model trained');
        return result;
      },
      concurrency.model_training,
    );
    this.process<RankerTrainingJob>(
      JOBS.rankerTraining.queue,
      JOBS.rankerTraining.name,
      async ({ job, reportProgress }) => {
        const result = await this.rankerTraining.train({ ...job.data, training_run: trainingRunOf(job) }, (pct, stage) => reportProgress(pct, stage));
        this.logger.info({ job: job.name, tenant: job.data.tenant_id, scenario: job.data.scenario_id, ...result }, 'ranker trained');
        return result;
      },
      concurrency.model_training,
    );
    this.process<UserProfilesJob>(
      JOBS.userProfiles.queue,
      JOBS.userProfiles.name,
      async ({ job, reportProgress, isCancelled }) => {
        const result = await this.userProfiles.run(job.data, (pct, stage) => reportProgress(pct, stage), isCancelled);
        this.logger.info({ job: job.name, tenant: job.data.tenant_id, scenario: job.data.scenario_id, ...result }, 'user profiles stored');
        return result;
      },
      concurrency.user_profile,
    );
    this.process<PrecomputeJob>(
      JOBS.precompute.queue,
      JOBS.precompute.name,
      async ({ job, reportProgress, isCancelled }) => {
        const result = await this.precompute.run(job.data, (pct, stage) => reportProgress(pct, stage), isCancelled);
        this.logger.info({ job: job.name, tenant: job.data.tenant_id, scenario: job.data.scenario_id, ...result }, 'recommendations precomputed');
        return result;
      },
      concurrency.default,
    );
    this.process<CacheCleanupJob>(
      JOBS.cacheCleanup.queue,
      JOBS.cacheCleanup.name,
      async ({ job, reportProgress, isCancelled }) => {
        const result = await this.cacheCleanup.run(job.data, (pct, stage) => reportProgress(pct, stage), isCancelled);
        this.logger.info({ job: job.name, tenant: job.data.tenant_id ?? '*', ...result }, 'cache cleaned up');
        return result;
      },
      concurrency.default,
    );
  }
}
