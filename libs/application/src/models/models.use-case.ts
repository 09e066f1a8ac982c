import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import {
  clientId,
  createModelSchema,
  DomainError,
  JobQueue,
  ModelArtifactStore,
  ModelRepository,
  type JobRecord,
  type Model,
  type ModelFilter,
  type Page,
  type PageRequest,
} from '@lemo/domain';
import { SERVABLE_ALGORITHMS } from '@lemo/features';
import { isModelKind, MODEL_KINDS } from '@lemo/ranking';
import { JOBS, type RecallTrainingJob } from '../jobs/job-names';
import { ScenarioLookup } from '../scenarios/scenario-lookup';
import { recallModelId } from './recall-model-training.use-case';
import { nowIso } from '../shared/time';
import { withRequestId } from '../shared/request-trace';

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

export type CreateModelInput = z.infer<typeof createModelSchema>;

/**
 * What a registry edit may change. Versions come from training and deployment from deploy, so the
 * only status a caller sets is `archived` (which undeploys); the algorithm is fixed once a version
 * was trained with it. `config` replaces the stored one.
 */
export const updateModelSchema = z
  .object({
    name: createModelSchema.shape.name.optional(),
    description: z.string().max(4096).optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    algorithm: createModelSchema.shape.algorithm.optional(),
    status: z.literal('archived', { error: 'only archived can be set (trained and deployed come from training and DeployModel)' }).optional(),
  })
  .strict();
export type UpdateModelInput = z.infer<typeof updateModelSchema>;

/** Training job states in which a run may still write the model. */
const UNFINISHED_JOB_STATUSES = ['active', 'waiting', 'delayed'] as const;

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
    private readonly artifacts: ModelArtifactStore,
  ) {}

  /**
   * Registers a model with no version yet (`draft`): e.g. to name and describe it before its first
   * training run, which then appends v1 to it (a recall model's id is `<scenario_id>.<algorithm>`).
   */
  async create(tenantId: string, input: CreateModelInput): Promise<Model> {
    if (input.scenario_id) await this.scenarios.require(tenantId, input.scenario_id);
    const now = nowIso();
    const model: Model = {
      tenant_id: tenantId,
      model_id: input.model_id,
      name: input.name,
      model_type: input.model_type,
      algorithm: input.algorithm,
      scenario_id: input.scenario_id ?? null,
      description: input.description,
      config: input.config,
      status: 'draft',
      versions: [],
      deployed_version: null,
      created_at: now,
      updated_at: now,
    };
    await this.models.create(model);
    return model;
  }

  /** Edits a model's name, description, config or algorithm; archiving a deployed model stops serving it (its versions stay, to deploy again). */
  async update(tenantId: string, modelId: string, input: UpdateModelInput): Promise<Model> {
    const model = await this.get(tenantId, modelId);
    if (input.algorithm !== undefined && input.algorithm !== model.algorithm && model.versions.length > 0) {
      throw new DomainError('FAILED_PRECONDITION', `model '${modelId}' has versions trained with ${model.algorithm}; its algorithm cannot change`, [
        { field: 'algorithm', message: `versions were trained with ${model.algorithm}` },
      ]);
    }
    const archived = input.status === 'archived';
    const updated: Model = {
      ...model,
      name: input.name ?? model.name,
      description: input.description ?? model.description,
      config: input.config ?? model.config,
      algorithm: input.algorithm ?? model.algorithm,
      status: archived ? 'archived' : model.status,
      deployed_version: archived ? null : model.deployed_version,
      versions: archived ? model.versions.map((v) => (v.status === 'deployed' ? { ...v, status: 'trained' as const } : v)) : model.versions,
      updated_at: nowIso(),
    };
    await this.models.update(updated);
    return updated;
  }

  /**
   * Deletes a model and its artifacts. Refused (FAILED_PRECONDITION) while it is in use: a version
   * is deployed (serving reads it; archive the model first) or a training run of it is queued or
   * running (it would write the model back).
   */
  async delete(tenantId: string, modelId: string): Promise<void> {
    const model = await this.get(tenantId, modelId);
    if (model.deployed_version !== null) {
      throw new DomainError('FAILED_PRECONDITION', `model '${modelId}' is deployed (version ${model.deployed_version}); archive it first so serving stops using it`);
    }
    const run = await this.unfinishedTrainingOf(tenantId, modelId);
    if (run) throw new DomainError('FAILED_PRECONDITION', `a training run of model '${modelId}' is ${run.status} (job ${run.job_id}); delete it once the run is over`);
    for (const artifact of await this.artifacts.list(tenantId, `${model.model_type}/${model.model_id}/`)) await this.artifacts.delete(tenantId, artifact.key);
    await this.models.delete(tenantId, modelId);
  }

  list(tenantId: string, filter: Partial<ModelFilter>, page: PageRequest): Promise<Page<Model>> {
    return this.models.list(tenantId, filter, page);
  }

  async get(tenantId: string, modelId: string): Promise<Model> {
    const model = await this.models.get(tenantId, modelId);
    if (!model) throw DomainError.notFound('model', modelId);
    return model;
  }

  /** A training run of this tenant, queued or running, that would write the model (`<scenario_id>.<algorithm>`). */
  private async unfinishedTrainingOf(tenantId: string, modelId: string): Promise<JobRecord<RecallTrainingJob> | null> {
    for (const status of UNFINISHED_JOB_STATUSES) {
      const jobs = (await this.jobs.list(JOBS.recallTraining.queue, { status, limit: 10_000 })) as Array<JobRecord<RecallTrainingJob>>;
      const run = jobs.find((job) => job.data.tenant_id === tenantId && recallModelId(job.data.scenario_id, job.data.algorithm) === modelId);
      if (run) return run;
    }
    return null;
  }

  /** Queues a training run (a recall model or a ranker, by algorithm); a run of the same scenario and algorithm already waiting or active is returned instead. */
  async train(tenantId: string, request: TrainRecallModelRequest): Promise<JobRecord<RecallTrainingJob>> {
    await this.scenarios.require(tenantId, request.scenario_id);
    const data: RecallTrainingJob = { tenant_id: tenantId, ...request };
    const job = isModelKind(request.algorithm) ? JOBS.rankerTraining : JOBS.recallTraining;
    return this.jobs.enqueue(job.queue, job.name, withRequestId(data), {
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
