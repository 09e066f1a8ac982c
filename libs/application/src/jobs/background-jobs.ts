import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobQueue } from '@lemo/domain';
import { ItemSimilarityBuilder } from '@lemo/features';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';
import { ItemVectorsUseCase } from '../catalog/item-vectors.use-case';
import { RecallModelTrainingUseCase } from '../models/recall-model-training.use-case';
import { JOBS, type ItemSimilarityJob, type ItemVectorsJob, type RecallTrainingJob } from './job-names';

/**
 * Registers the job handlers with the queue. Imported by the worker app and
 * the all-in-one process; an api-only process enqueues but never runs jobs.
 */
@Injectable()
export class BackgroundJobs implements OnApplicationBootstrap {
  constructor(
    private readonly queue: JobQueue,
    private readonly itemVectors: ItemVectorsUseCase,
    private readonly similarity: ItemSimilarityBuilder,
    private readonly recallTraining: RecallModelTrainingUseCase,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.queue.process<ItemVectorsJob>(JOBS.itemVectors.queue, JOBS.itemVectors.name, async ({ job }) => this.itemVectors.run(job.data), 2);
    this.queue.process<ItemSimilarityJob>(
      JOBS.itemSimilarity.queue,
      JOBS.itemSimilarity.name,
      async ({ job, reportProgress }) => {
        const result = await this.similarity.build(job.data.tenant_id, job.data.scenario_id, {}, (pct, stage) => reportProgress(pct, stage));
        this.logger.info({ job: job.name, tenant: job.data.tenant_id, scenario: job.data.scenario_id, ...result }, 'item similarity rebuilt');
        return result;
      },
      1,
    );
    this.queue.process<RecallTrainingJob>(
      JOBS.recallTraining.queue,
      JOBS.recallTraining.name,
      async ({ job, reportProgress }) => {
        const result = await this.recallTraining.train(job.data, (pct, stage) => reportProgress(pct, stage));
        this.logger.info({ job: job.name, tenant: job.data.tenant_id, scenario: job.data.scenario_id, ...result }, 'recall model trained');
        return result;
      },
      1,
    );
  }
}
