import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { clientId, DomainError, JobQueue, ModelRepository, type JobRecord, type Model, type ModelFilter, type Page, type PageRequest } from '@lemo/domain';
import { SERVABLE_ALGORITHMS } from '@lemo/features';
import { isModelKind, MODEL_KINDS } from '@lemo/ranking';
import { JOBS, type RecallTrainingJob } from '../jobs/job-names';
import { ScenarioLookup } from '../scenarios/scenario-lookup';

export const trainRecallModelSchema = z
  .object({
    scenario_id: clientId('scenario_id'),
    algorithm: z.string().refine((name) => Object.hasOwn(SERVABLE_ALGORITHMS, name) || isModelKind(name), {
      message: `algorithm must be a recall algorithm (${Object.keys(SERVABLE_ALGORITHMS).join(', ')}) or a ranker (${MODEL_KINDS.join(', ')})`,
    }),
    params: z.record(z.string(), z.unknown()).default({}),
    deploy: z.boolean().default(true),
  })
  .strict();
export type TrainRecallModelRequest = z.infer<typeof trainRecallModelSchema>;

export const deployModelSchema = z.object({ version: z.string().min(1).max(64) }).strict();

/** The job of one tenant's training run (its id embeds tenant, scenario and algorithm, so a second request while one runs is the same job). */
function trainingJobId(tenantId: string, request: Pick<TrainRecallModelRequest, 'scenario_id' | 'algorithm'>): string {
  return `train-${tenantId}-${request.scenario_id}-${request.algorithm}`;
}

/** The model registry as tenants use it: list and read models, start training, follow it, deploy a version. */
@Injectable()
export class ModelsUseCase {
  constructor(
    private readonly models: ModelRepository,
    private readonly jobs: JobQueue,
    private readonly scenarios: ScenarioLookup,
  ) {}

  list(tenantId: string, filter: Partial<ModelFilter>, page: PageRequest): Promise<Page<Model>> {
    return this.models.list(tenantId, filter, page);
  }

  async get(tenantId: string, modelId: string): Promise<Model> {
    const model = await this.models.get(tenantId, modelId);
    if (!model) throw DomainError.notFound('model', modelId);
    return model;
  }

  /** Queues a training run (a recall model or a ranker, by algorithm); a run of the same scenario and algorithm already waiting or active is returned instead. */
  async train(tenantId: string, request: TrainRecallModelRequest): Promise<JobRecord<RecallTrainingJob>> {
    await this.scenarios.require(tenantId, request.scenario_id);
    const data: RecallTrainingJob = { tenant_id: tenantId, ...request };
    const job = isModelKind(request.algorithm) ? JOBS.rankerTraining : JOBS.recallTraining;
    return this.jobs.enqueue(job.queue, job.name, data, {
      jobId: trainingJobId(tenantId, request),
      attempts: 2,
      backoffMs: 30_000,
    });
  }

  /** A training job of this tenant; another tenant's job is NOT_FOUND, as if it did not exist. */
  async trainingStatus(tenantId: string, jobId: string): Promise<JobRecord<RecallTrainingJob>> {
    const job = (await this.jobs.get(JOBS.recallTraining.queue, jobId)) as JobRecord<RecallTrainingJob> | null;
    const trainingJobs: string[] = [JOBS.recallTraining.name, JOBS.rankerTraining.name];
    if (!job || !trainingJobs.includes(job.name) || job.data.tenant_id !== tenantId) throw DomainError.notFound('training job', jobId);
    return job;
  }

  /** Points the model at a trained version (or back at an older one): serving follows within seconds. */
  async deploy(tenantId: string, modelId: string, version: string): Promise<Model> {
    const model = await this.get(tenantId, modelId);
    const target = model.versions.find((v) => v.version === version);
    if (!target) throw DomainError.invalid('version', `model '${modelId}' has no version '${version}'`);
    if (!target.artifact_uri) throw new DomainError('FAILED_PRECONDITION', `version '${version}' of model '${modelId}' has no trained artifact`);
    const updated: Model = {
      ...model,
      status: 'deployed',
      deployed_version: version,
      versions: model.versions.map((v) => ({ ...v, status: v.version === version ? 'deployed' : v.status === 'deployed' ? 'trained' : v.status })),
      updated_at: new Date().toISOString(),
    };
    await this.models.update(updated);
    return updated;
  }
}
