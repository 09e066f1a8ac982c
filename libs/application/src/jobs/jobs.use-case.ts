import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { clientId, DomainError, JOB_STATUSES, JobQueue, QUEUE_NAMES, type JobRecord, type QueueName } from '@lemo/domain';
import { ModelsUseCase, trainRecallModelSchema } from '../models/models.use-case';
import { ScenarioLookup } from '../scenarios/scenario-lookup';
import { JOBS, type CacheCleanupJob, type ItemSimilarityJob, type PrecomputeJob, type ScenarioItemVectorsJob, type UserProfilesJob } from './job-names';
import { withRequestId } from '../shared/request-trace';

/**
 * Jobs are listed from the newest this many of each queue (and status): the
 * queue keeps every tenant's jobs together and cannot filter by tenant, so a
 * tenant's older jobs beyond this window are not listed (they stay readable by id).
 */
export const JOB_LIST_WINDOW = 1000;

export const listJobsQuerySchema = z
  .object({
    queue: z.enum(QUEUE_NAMES).optional(),
    status: z.enum(JOB_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(JOB_LIST_WINDOW).default(100),
  })
  .strict();
export type ListJobsQuery = z.infer<typeof listJobsQuerySchema>;

export const TRIGGERABLE_JOBS = ['item_similarity', 'item_vectors', 'recall_training', 'user_profiles', 'precompute', 'cache_cleanup'] as const;

/** The one job that is not for a scenario: it cleans the tenant's keys. */
const TENANT_WIDE_JOBS: ReadonlySet<string> = new Set(['cache_cleanup']);

/**
 * A job a tenant starts for one of its scenarios: item_similarity, item_vectors
 * (every item; changed items get their own job as they are written),
 * user_profiles, precompute, or recall_training, which alone takes algorithm
 * (required), params and deploy; or cache_cleanup, for the whole tenant (no
 * scenario_id). One flat object rather than a union, so the OpenAPI body is one schema.
 */
export const triggerJobSchema = z
  .object({
    job: z.enum(TRIGGERABLE_JOBS, { error: `job must be one of: ${TRIGGERABLE_JOBS.join(', ')}` }),
    scenario_id: clientId('scenario_id').optional(),
    algorithm: trainRecallModelSchema.shape.algorithm.optional(),
    params: z.record(z.string(), z.unknown()).optional(),
    deploy: z.boolean().optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (TENANT_WIDE_JOBS.has(body.job)) {
      if (body.scenario_id !== undefined) ctx.addIssue({ code: 'custom', path: ['scenario_id'], message: `${body.job} runs for the whole tenant and takes no scenario_id` });
    } else if (body.scenario_id === undefined) {
      ctx.addIssue({ code: 'custom', path: ['scenario_id'], message: `scenario_id is required for ${body.job}` });
    }
    if (body.job === 'recall_training') {
      if (body.algorithm === undefined) ctx.addIssue({ code: 'custom', path: ['algorithm'], message: 'algorithm is required for recall_training' });
      return;
    }
    for (const field of ['algorithm', 'params', 'deploy'] as const) {
      if (body[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `${field} applies to recall_training only` });
    }
  });
export type TriggerJobRequest = z.infer<typeof triggerJobSchema>;

/** The job each scenario-scoped trigger queues. */
const SCENARIO_JOBS = {
  item_similarity: JOBS.itemSimilarity,
  item_vectors: JOBS.scenarioItemVectors,
  user_profiles: JOBS.userProfiles,
  precompute: JOBS.precompute,
} as const;

/** A job's payload as the API shows it: every job carries the tenant it belongs to. */
export type TenantJobData = { tenant_id: string } & Record<string, unknown>;

/**
 * Background jobs as a tenant sees them: its own jobs only (the tenant travels
 * in job data), to list, read, start and cancel. Another tenant's job is
 * NOT_FOUND, never FORBIDDEN, so its existence does not leak either.
 */
@Injectable()
export class JobsUseCase {
  constructor(
    private readonly queue: JobQueue,
    private readonly scenarios: ScenarioLookup,
    private readonly models: ModelsUseCase,
  ) {}

  async list(tenantId: string, query: ListJobsQuery): Promise<Array<JobRecord<TenantJobData>>> {
    const queues = query.queue ? [query.queue] : QUEUE_NAMES;
    const listed = await Promise.all(queues.map((queue) => this.queue.list(queue, { ...(query.status && { status: query.status }), limit: JOB_LIST_WINDOW })));
    return listed
      .flat()
      .filter((job): job is JobRecord<TenantJobData> => ownedBy(job, tenantId))
      .sort((a, b) => b.created_at - a.created_at)
      .slice(0, query.limit);
  }

  async get(tenantId: string, queue: QueueName, jobId: string): Promise<JobRecord<TenantJobData>> {
    return owned(await this.queue.get(queue, jobId), tenantId, jobId);
  }

  /**
   * Queues a job now. Its id names tenant, scenario and job (and algorithm), so
   * a second trigger while one waits or runs returns that job instead of a duplicate.
   */
  async trigger(tenantId: string, request: TriggerJobRequest): Promise<JobRecord<TenantJobData>> {
    if (request.job === 'recall_training') {
      const training = trainRecallModelSchema.parse({ scenario_id: request.scenario_id, algorithm: request.algorithm, params: request.params, deploy: request.deploy });
      const queued = await this.models.train(tenantId, training);
      return owned(queued, tenantId, queued.job_id);
    }
    if (request.job === 'cache_cleanup') {
      const data: CacheCleanupJob = { tenant_id: tenantId };
      const queued = await this.queue.enqueue(JOBS.cacheCleanup.queue, JOBS.cacheCleanup.name, withRequestId(data), { jobId: ['manual', JOBS.cacheCleanup.name, tenantId].join('~'), attempts: 2, backoffMs: 10_000 });
      return owned(queued, tenantId, queued.job_id);
    }
    const scenarioId = request.scenario_id as string;
    await this.scenarios.require(tenantId, scenarioId);
    const data: ItemSimilarityJob & ScenarioItemVectorsJob & UserProfilesJob & PrecomputeJob = { tenant_id: tenantId, scenario_id: scenarioId };
    const target = SCENARIO_JOBS[request.job];
    const queued = await this.queue.enqueue(target.queue, target.name, withRequestId(data), { jobId: ['manual', target.name, tenantId, scenarioId].join('~'), attempts: 2, backoffMs: 10_000 });
    return owned(queued, tenantId, queued.job_id);
  }

  /** Removes a waiting job, or asks a running one to stop; a finished job cannot be cancelled (FAILED_PRECONDITION). */
  async cancel(tenantId: string, queue: QueueName, jobId: string): Promise<JobRecord<TenantJobData>> {
    const job = await this.get(tenantId, queue, jobId);
    if (!(await this.queue.cancel(queue, jobId))) throw new DomainError('FAILED_PRECONDITION', `job '${jobId}' is ${job.status} and can no longer be cancelled`);
    return this.get(tenantId, queue, jobId);
  }
}

function ownedBy(job: JobRecord, tenantId: string): job is JobRecord<TenantJobData> {
  const data = job.data;
  return typeof data === 'object' && data !== null && (data as { tenant_id?: unknown }).tenant_id === tenantId;
}

/** The job if it is the tenant's; NOT_FOUND otherwise, exactly as for a job that does not exist. */
function owned(job: JobRecord | null, tenantId: string, jobId: string): JobRecord<TenantJobData> {
  if (!job || !ownedBy(job, tenantId)) throw DomainError.notFound('job', jobId);
  return job;
}

