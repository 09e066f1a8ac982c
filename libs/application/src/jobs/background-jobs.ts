import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobQueue } from '@lemo/domain';
import { ItemSimilarityBuilder } from '@lemo/features';
import { AppConfig } from '@lemo/platform-config';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';
import { ItemVectorsUseCase } from '../catalog/item-vectors.use-case';
import { RecallModelTrainingUseCase } from '../models/recall-model-training.use-case';
import { RankerTrainingUseCase } from '../models/ranker-training.use-case';
import { JOBS, type ItemSimilarityJob, type ItemVectorsJob, type RankerTrainingJob, type RecallTrainingJob, type ScenarioItemVectorsJob } from './job-names';
import { ScenarioItemVectors } from './scenario-item-vectors';

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
  ) {}

  onApplicationBootstrap(): void {
    // WORKER_CONCURRENCY_<QUEUE>: how many jobs of the queue this process runs at once.
    const concurrency = this.config.background.workerConcurrency;
    this.queue.process<ItemVectorsJob>(JOBS.itemVectors.queue, JOBS.itemVectors.name, async ({ job }) => this.itemVectors.run(job.data), concurrency.item_processing);
    this.queue.process<ScenarioItemVectorsJob>(
      JOBS.scenarioItemVectors.queue,
      JOBS.scenarioItemVectors.name,
      async ({ job, reportProgress, isCancelled }) => {
        const result = await this.scenarioItemVectors.run(job.data, (pct) => reportProgress(pct, 'embed'), isCancelled);
        this.logger.info({ job: job.name, tenant: job.data.tenant_id, scenario: job.data.scenario_id, ...result }, 'scenario item vectors rebuilt');
        return result;
      },
      concurrency.item_processing,
    );
    this.queue.process<ItemSimilarityJob>(
      JOBS.itemSimilarity.queue,
      JOBS.itemSimilarity.name,
      async ({ job, reportProgress }) => {
        const result = await this.similarity.build(job.data.tenant_id, job.data.scenario_id, {}, (pct, stage) => reportProgress(pct, stage));
        this.logger.info({ job: job.name, tenant: job.data.tenant_id, scenario: job.data.scenario_id, ...result }, 'item similarity rebuilt');
        return result;
      },
      concurrency.default,
    );
    this.queue.process<RecallTrainingJob>(
      JOBS.recallTraining.queue,
      JOBS.recallTraining.name,
      async ({ job, reportProgress }) => {
        const result = await this.recallTraining.train(job.data, (pct, stage) => reportProgress(pct, stage));
        this.logger.info({ job: job.name, tenant: job.data.tenant_id, scenario: job.data.scenario_id, ...result }, 'recall model trained');
        return result;
      },
      concurrency.model_training,
    );
    this.queue.process<RankerTrainingJob>(
      JOBS.rankerTraining.queue,
      JOBS.rankerTraining.name,
      async ({ job, reportProgress }) => {
        const result = await this.rankerTraining.train(job.data, (pct, stage) => reportProgress(pct, stage));
        this.logger.info({ job: job.name, tenant: job.data.tenant_id, scenario: job.data.scenario_id, ...result }, 'ranker trained');
        return result;
      },
      concurrency.model_training,
    );
  }
}
