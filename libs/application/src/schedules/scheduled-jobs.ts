import { Injectable } from '@nestjs/common';
import { JobQueue, ModelRepository, ScenarioRepository, TenantRepository, type JobOptions, type QueueName, type Scenario, type Tenant } from '@lemo/domain';
import { AppConfig } from '@lemo/platform-config';
import { embeddingAlgorithm } from '@lemo/recall';
import { JOBS, type CacheCleanupJob, type ItemSimilarityJob, type PrecomputeJob, type RecallTrainingJob, type ScenarioItemVectorsJob, type UserProfilesJob } from '../jobs/job-names';
import { recallModelId } from '../models/recall-model-training.use-case';
import { dueScenarioSchedules, followsDeploymentSchedule, GLOBAL_SCHEDULES, type ScheduleName } from './beat-schedules';

const PAGE_SIZE = 100;
/** Recall strategies served by a trained model, and the algorithm each needs trained. */
const TRAINED_STRATEGIES = new Set(['als', 'bpr', 'ease']);
interface PlannedJob {
  queue: QueueName;
  name: string;
  data: object;
  /** Distinguishes jobs of one scenario and tick (the algorithm of a training run). */
  key: string;
  options: JobOptions;
}

export interface TickResult {
  scenarios: number;
  enqueued: number;
  /** Scenarios whose jobs could not be planned or enqueued (the others still are), with why. */
  failures: Array<{ tenant_id: string; scenario_id: string; error: string }>;
}

/**
 * The job id of one scheduled job: schedule, tenant, scenario, key and tick.
 * A second fire of the same tick (a retried tick, a second beat that slipped
 * past the scheduler's claim) enqueues the same id, which the queue ignores
 * while the first is waiting or running. '~' appears in no tenant or scenario
 * id (so ids never collide) and needs no escaping in a URL path (GET
 * /jobs/{queue}/{job_id}); ending in digits keeps clear of Bull's own key names.
 */
export function scheduledJobId(schedule: ScheduleName, scenario: Pick<Scenario, 'tenant_id' | 'scenario_id'>, key: string, tickAt: Date): string {
  return ['beat', schedule, scenario.tenant_id, scenario.scenario_id, key, tickAt.getTime()].filter((part) => part !== '').join('~');
}

/**
 * What one tick of a schedule enqueues: its job for every active scenario of
 * every active tenant that follows the deployment's schedule of the job, and,
 * at each per-minute check, the jobs due by the scenarios' own schedules.
 * Beat only enqueues; the worker runs the jobs.
 */
@Injectable()
export class ScheduledJobs {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly scenarios: ScenarioRepository,
    private readonly models: ModelRepository,
    private readonly queue: JobQueue,
    private readonly config: AppConfig,
  ) {}

  async enqueueTick(schedule: ScheduleName, tickAt: Date): Promise<TickResult> {
    const result: TickResult = { scenarios: 0, enqueued: 0, failures: [] };
    if (GLOBAL_SCHEDULES.has(schedule)) {
      // Every tenant's keys and those of tenants that are gone: one job (tenant_id null), named by the tick alone.
      const data: CacheCleanupJob = { tenant_id: null };
      await this.queue.enqueue(JOBS.cacheCleanup.queue, JOBS.cacheCleanup.name, data, { attempts: 2, backoffMs: 60_000, jobId: ['beat', schedule, tickAt.getTime()].join('~') });
      return { ...result, enqueued: 1 };
    }
    for await (const scenario of this.activeScenariosOfActiveTenants()) {
      // A scenario with its own schedule of the job (or 'off') is left to the per-minute check.
      if (!followsDeploymentSchedule(scenario.config.schedules, schedule)) continue;
      result.scenarios++;
      await this.enqueueFor(schedule, scenario, tickAt, result);
    }
    return result;
  }

  /**
   * One per-minute check of the scenarios' own schedules (`config.schedules`):
   * enqueues every job whose cron has a tick at `tickAt`, with the ids a
   * deployment tick would give it. `scenarios` counts those with a job due.
   */
  async enqueueScenarioSchedules(tickAt: Date): Promise<TickResult> {
    const result: TickResult = { scenarios: 0, enqueued: 0, failures: [] };
    for await (const scenario of this.activeScenariosOfActiveTenants()) {
      if (!scenario.config.schedules) continue;
      let due: ScheduleName[];
      try {
        due = dueScenarioSchedules(scenario.config.schedules, this.config.schedulerTimezone, tickAt);
      } catch (error) {
        result.failures.push(this.failure(scenario, error));
        continue;
      }
      if (due.length > 0) result.scenarios++;
      for (const schedule of due) await this.enqueueFor(schedule, scenario, tickAt, result);
    }
    return result;
  }

  /** The scenario's jobs of one tick; a failure (say, a model record that cannot be read) is recorded, not thrown, so it costs no other scenario its tick. */
  private async enqueueFor(schedule: ScheduleName, scenario: Scenario, tickAt: Date, result: TickResult): Promise<void> {
    try {
      for (const job of await this.plan(schedule, scenario)) {
        await this.queue.enqueue(job.queue, job.name, job.data, { ...job.options, jobId: scheduledJobId(schedule, scenario, job.key, tickAt) });
        result.enqueued++;
      }
    } catch (error) {
      result.failures.push(this.failure(scenario, error));
    }
  }

  private failure(scenario: Scenario, error: unknown): TickResult['failures'][number] {
    return { tenant_id: scenario.tenant_id, scenario_id: scenario.scenario_id, error: error instanceof Error ? error.message : String(error) };
  }

  private async plan(schedule: ScheduleName, scenario: Scenario): Promise<PlannedJob[]> {
    const ids = { tenant_id: scenario.tenant_id, scenario_id: scenario.scenario_id };
    switch (schedule) {
      case 'item_similarity':
        return [{ ...JOBS.itemSimilarity, data: ids satisfies ItemSimilarityJob, key: '', options: { attempts: 2, backoffMs: 10_000 } }];
      case 'item_vectors':
        return [{ ...JOBS.scenarioItemVectors, data: ids satisfies ScenarioItemVectorsJob, key: '', options: { attempts: 2, backoffMs: 10_000 } }];
      case 'recall_training':
        return this.trainingJobs(scenario);
      case 'user_profiles':
        return [{ ...JOBS.userProfiles, data: ids satisfies UserProfilesJob, key: '', options: { attempts: 2, backoffMs: 30_000 } }];
      case 'precompute':
        return [{ ...JOBS.precompute, data: ids satisfies PrecomputeJob, key: '', options: { attempts: 2, backoffMs: 30_000 } }];
      case 'cache_cleanup':
        return [];
    }
  }

  /**
   * One run per algorithm the scenario's strategies serve from a trained model.
   * A model already trained keeps its parameters (an operator's tuning); the
   * algorithm behind `embedding` trains with VECTOR_DIM factors, as the ANN
   * search over item factors needs.
   */
  private async trainingJobs(scenario: Scenario): Promise<PlannedJob[]> {
    const algorithms = new Map<string, { embedding: boolean }>();
    for (const strategy of scenario.config.recall.strategies) {
      if (TRAINED_STRATEGIES.has(strategy.name)) algorithms.set(strategy.name, { embedding: algorithms.get(strategy.name)?.embedding ?? false });
      if (strategy.name === 'embedding') {
        const model = embeddingAlgorithm(strategy.params);
        algorithms.set(model, { embedding: true });
      }
    }
    const jobs: PlannedJob[] = [];
    for (const [algorithm, { embedding }] of algorithms) {
      const existing = await this.models.get(scenario.tenant_id, recallModelId(scenario.scenario_id, algorithm));
      const params = { ...(existing?.config ?? {}), ...(embedding && { factors: this.config.vectorDimension }) };
      const data: RecallTrainingJob = { tenant_id: scenario.tenant_id, scenario_id: scenario.scenario_id, algorithm, params, deploy: true };
      jobs.push({ ...JOBS.recallTraining, data, key: algorithm, options: { attempts: 2, backoffMs: 30_000 } });
    }
    return jobs;
  }

  private async *activeScenariosOfActiveTenants(): AsyncGenerator<Scenario> {
    for await (const tenant of this.activeTenants()) yield* this.activeScenarios(tenant.tenant_id);
  }

  private async *activeTenants(): AsyncGenerator<Tenant> {
    for (let page = 1; ; page++) {
      const { items } = await this.tenants.list({ page, pageSize: PAGE_SIZE });
      yield* items.filter((tenant) => tenant.status === 'active');
      if (items.length < PAGE_SIZE) return;
    }
  }

  private async *activeScenarios(tenantId: string): AsyncGenerator<Scenario> {
    for (let page = 1; ; page++) {
      const { items } = await this.scenarios.list(tenantId, { status: 'active' }, { page, pageSize: PAGE_SIZE });
      yield* items;
      if (items.length < PAGE_SIZE) return;
    }
  }
}
