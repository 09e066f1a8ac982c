import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  AnalyticsStore,
  DomainError,
  EXPERIMENT_TRANSITIONS,
  ExperimentRepository,
  MAX_PAGE_SIZE,
  UserRepository,
  type AnalyticsRange,
  type AssignmentRecord,
  type Experiment,
  type ExperimentFilter,
  type ExperimentStatus,
  type FieldIssue,
  type Metadata,
  type Page,
  type PageRequest,
} from '@lemo/domain';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';
import { ScenarioLookup } from '../scenarios/scenario-lookup';
import { ScenariosUseCase } from '../scenarios/scenarios.use-case';
import { nowIso } from '../shared/time';
import { AssignmentLog } from './assignment-log';
import { assignToExperiment, assignToExperiments, experimentGroup, HOLDOUT_GROUP, overlappingSlices, type ExperimentAssignment } from './bucketing';
import { computeExperimentResults, type ExperimentResults } from './experiment-results';
import {
  ASSIGNMENT_FIELDS,
  type AssignmentListQuery,
  type CreateExperimentRequest,
  type ExperimentResultsQuery,
  type UpdateExperimentRequest,
} from './experiment-requests';
import { variantAggregates } from './variant-aggregates';

/** How long serving reuses a scenario's list of running experiments: a start or stop reaches every process within it. */
export const RUNNING_EXPERIMENTS_TTL_MS = 5_000;
/** Events may carry client clocks this far off (the event schema's skew), so results ranges are widened by it. */
const CLOCK_SKEW_MS = 10 * 60 * 1000;
const HOUR_MS = 3_600_000;

/** The lifecycle moves the REST routes name. */
export type ExperimentAction = 'start' | 'pause' | 'stop' | 'archive';
const ACTION_TARGET: Record<ExperimentAction, ExperimentStatus> = { start: 'running', pause: 'paused', stop: 'completed', archive: 'archived' };
/*
 * Moves the lifecycle does not allow, edits that would reassign users and
 * overlapping starts are CONFLICT (409): the request is well formed but
 * clashes with the experiment's current state, which the client changes first.
 */
/** Statuses in which an experiment may be deleted: never while users are being assigned to it. */
const DELETABLE: ReadonlySet<ExperimentStatus> = new Set(['draft', 'completed', 'archived']);

/** What serving applies for one user: the group their events must carry, and the overrides to merge over the scenario config. */
export interface ServingExperiment {
  experiment_id: string;
  /** A variant id, or HOLDOUT_GROUP for a held-out user (who is served the scenario's own config). */
  experiment_group: string;
  variant_id: string | null;
  config_overrides: Record<string, unknown>;
}

export interface UserAssignment {
  experiment_id: string;
  user_id: string;
  assignment: ExperimentAssignment;
  /** The `experiment_group` this user's events should carry; null when the user is not in the experiment. */
  experiment_group: string | null;
}

export interface UserAssignmentReport extends UserAssignment {
  /** What serving recorded for the user (its group and first time, unix ms); null when it never served them in this experiment. */
  recorded: { variant_id: string; assigned_at: number } | null;
}

export interface AssignmentListReport {
  experiment_id: string;
  /** Users recorded per group: every variant of the experiment (0 when none yet), and the holdout when it has users. */
  counts: Array<{ variant_id: string; users: number }>;
  /** Users recorded in the experiment, every group. */
  total_users: number;
  /** One page of the recorded assignments (filtered), by user_id. */
  page: Page<Omit<AssignmentRecord, 'tenant_id'>>;
}

export interface ExperimentResultsReport extends ExperimentResults {
  status: ExperimentStatus;
  conversion_action: string;
  /** The event time range counted, unix ms, [from, to). */
  range: AnalyticsRange;
}

/**
 * Experiments of a tenant: CRUD, the lifecycle (draft → running ⇄ paused →
 * completed → archived), users' deterministic assignments, results from the
 * analytics store, and the running experiments serving applies.
 */
@Injectable()
export class ExperimentsUseCase implements OnApplicationShutdown {
  private readonly running = new Map<string, { experiments: Experiment[]; expiresAt: number }>();
  /** Who serving assigned where, written off the request path. */
  private readonly assignmentLog: AssignmentLog;

  constructor(
    private readonly experiments: ExperimentRepository,
    private readonly scenarioLookup: ScenarioLookup,
    private readonly scenarios: ScenariosUseCase,
    private readonly users: UserRepository,
    private readonly analytics: AnalyticsStore,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {
    this.assignmentLog = new AssignmentLog(analytics, logger);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.assignmentLog.close();
  }

  async create(tenantId: string, request: CreateExperimentRequest): Promise<Experiment> {
    await this.scenarioLookup.require(tenantId, request.scenario_id);
    await this.checkOverrides(tenantId, request.scenario_id, request.variants);
    const now = nowIso();
    const experiment: Experiment = { tenant_id: tenantId, ...request, status: 'draft', started_at: null, ended_at: null, created_at: now, updated_at: now };
    await this.experiments.create(experiment);
    return experiment;
  }

  list(tenantId: string, filter: Partial<ExperimentFilter>, page: PageRequest): Promise<Page<Experiment>> {
    return this.experiments.list(tenantId, filter, page);
  }

  async get(tenantId: string, experimentId: string): Promise<Experiment> {
    const experiment = await this.experiments.get(tenantId, experimentId);
    if (!experiment) throw DomainError.notFound('experiment', experimentId);
    return experiment;
  }

  async update(tenantId: string, experimentId: string, request: UpdateExperimentRequest): Promise<Experiment> {
    const current = await this.get(tenantId, experimentId);
    const reassigning = ASSIGNMENT_FIELDS.filter((field) => request[field] !== undefined);
    if (reassigning.length > 0 && current.status !== 'draft') {
      throw new DomainError(
        'CONFLICT',
        `${reassigning.join(', ')} of experiment '${experimentId}' can only change in draft (it is ${current.status}): changing them would move users between variants`,
      );
    }
    if (current.status === 'archived') throw new DomainError('CONFLICT', `experiment '${experimentId}' is archived and can no longer change`);
    if (request.variants) await this.checkOverrides(tenantId, current.scenario_id, request.variants);
    const updated: Experiment = { ...current, ...definedFields(request), updated_at: nowIso() };
    await this.experiments.update(updated);
    return updated;
  }

  async delete(tenantId: string, experimentId: string): Promise<void> {
    const current = await this.get(tenantId, experimentId);
    if (!DELETABLE.has(current.status)) {
      throw new DomainError('CONFLICT', `experiment '${experimentId}' is ${current.status}: stop it before deleting it`);
    }
    if (!(await this.experiments.delete(tenantId, experimentId))) throw DomainError.notFound('experiment', experimentId);
  }

  /**
   * Moves an experiment along its lifecycle. Starting checks that no other
   * running experiment of the scenario shares a part of its layer: a user in
   * the overlap could only ever see one of them, so one would silently lose
   * traffic. Two starts racing in different processes can both pass this
   * check; the repository has no conditional update to close that gap.
   */
  async transition(tenantId: string, experimentId: string, action: ExperimentAction): Promise<Experiment> {
    const current = await this.get(tenantId, experimentId);
    const target = ACTION_TARGET[action];
    if (!EXPERIMENT_TRANSITIONS[current.status].includes(target)) {
      const allowed = EXPERIMENT_TRANSITIONS[current.status];
      throw new DomainError(
        'CONFLICT',
        `cannot ${action} experiment '${experimentId}': it is ${current.status}` + (allowed.length ? ` (allowed: ${allowed.join(', ')})` : ' (no further moves)'),
      );
    }
    if (target === 'running') await this.checkNoOverlap(tenantId, current);
    const now = nowIso();
    const updated: Experiment = {
      ...current,
      status: target,
      // The first start opens the results range; a resume after a pause keeps it.
      started_at: target === 'running' ? (current.started_at ?? now) : current.started_at,
      ended_at: target === 'completed' ? now : current.ended_at,
      updated_at: now,
    };
    await this.experiments.update(updated);
    this.running.delete(cacheKey(tenantId, current.scenario_id));
    return updated;
  }

  /**
   * The user's deterministic assignment, as serving would compute it (attributes from the stored user;
   * unknown users have none), next to what serving recorded for them.
   */
  async assignment(tenantId: string, experimentId: string, userId: string): Promise<UserAssignmentReport> {
    const experiment = await this.get(tenantId, experimentId);
    const [user, recorded] = await Promise.all([
      this.users.get(tenantId, userId),
      this.analytics.assignments(tenantId, experimentId, { userId }, { page: 1, pageSize: 1 }),
    ]);
    const assignment = assignToExperiment(experiment, { user_id: userId, attributes: user?.attributes ?? {} });
    const [stored] = recorded.items;
    return {
      experiment_id: experimentId,
      user_id: userId,
      assignment,
      experiment_group: experimentGroup(assignment),
      recorded: stored ? { variant_id: stored.variant_id, assigned_at: stored.assigned_at } : null,
    };
  }

  /** The users serving assigned to the experiment: counts per group and a page of them, by user id. */
  async assignments(tenantId: string, experimentId: string, query: AssignmentListQuery): Promise<AssignmentListReport> {
    const experiment = await this.get(tenantId, experimentId);
    const filter = { ...(query.variant_id && { variantId: query.variant_id }), ...(query.user_id && { userId: query.user_id }) };
    const [counted, page] = await Promise.all([
      this.analytics.assignmentCounts(tenantId, experimentId),
      this.analytics.assignments(tenantId, experimentId, filter, { page: query.page, pageSize: query.page_size }),
    ]);
    const usersOf = new Map(counted.map((count) => [count.variant_id, count.users]));
    const groups = [...experiment.variants.map((variant) => variant.variant_id), ...(usersOf.has(HOLDOUT_GROUP) ? [HOLDOUT_GROUP] : [])];
    // Groups that are no variant (any more) still show: their users were recorded.
    for (const group of usersOf.keys()) if (!groups.includes(group)) groups.push(group);
    return {
      experiment_id: experimentId,
      counts: groups.map((variant_id) => ({ variant_id, users: usersOf.get(variant_id) ?? 0 })),
      total_users: counted.reduce((sum, count) => sum + count.users, 0),
      page: { ...page, items: page.items.map(({ tenant_id: _tenant, ...record }) => record) },
    };
  }

  /** Per-variant counts of the experiment's events in the analytics store, with lifts, p-values, the sample ratio check and the sample size. */
  async results(tenantId: string, experimentId: string, query: ExperimentResultsQuery): Promise<ExperimentResultsReport> {
    const experiment = await this.get(tenantId, experimentId);
    const range = resultsRange(experiment);
    const stats = await this.analytics.experimentStats(tenantId, experimentId, range);
    const results = computeExperimentResults(experiment, variantAggregates(stats, query.conversion_action));
    return { ...results, status: experiment.status, conversion_action: query.conversion_action, range };
  }

  /**
   * The experiment a serving request of this user falls in, or null: the
   * first of the scenario's running experiments (in layer order) that takes
   * the user. One per request because an event carries one experiment_id.
   * Running experiments are read at most every few seconds per scenario; if
   * the read fails, the last list is used, or none: an experiment must never
   * be the reason a recommendation fails. The assignment it returns is
   * recorded (queued: see AssignmentLog), as serving is about to apply it.
   */
  async resolveForServing(tenantId: string, scenarioId: string, userId: string, userAttributes?: Metadata): Promise<ServingExperiment | null> {
    const running = await this.runningExperiments(tenantId, scenarioId);
    if (running.length === 0) return null;
    // The user document is read only when an experiment targets by attributes (most do not): serving stays one lookup lighter.
    const targeted = running.some((experiment) => (experiment.targeting?.length ?? 0) > 0);
    const attributes = userAttributes ?? (targeted ? ((await this.users.get(tenantId, userId).catch(() => null))?.attributes ?? {}) : {});
    const [first] = assignToExperiments(running, { user_id: userId, attributes });
    if (!first) return null;
    const group = experimentGroup(first);
    if (group === null) return null;
    this.assignmentLog.record({ tenant_id: tenantId, experiment_id: first.experiment_id, variant_id: group, user_id: userId, assigned_at: Date.now() });
    return first.outcome === 'variant'
      ? { experiment_id: first.experiment_id, experiment_group: group, variant_id: first.variant_id, config_overrides: first.config_overrides }
      : { experiment_id: first.experiment_id, experiment_group: group, variant_id: null, config_overrides: {} };
  }

  /** Writes the assignments serving queued so far (tests and shutdown; serving never waits for it). */
  flushAssignments(): Promise<void> {
    return this.assignmentLog.flush();
  }

  private async runningExperiments(tenantId: string, scenarioId: string): Promise<Experiment[]> {
    const key = cacheKey(tenantId, scenarioId);
    const hit = this.running.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit.experiments;
    try {
      const experiments = await this.listAll(tenantId, { scenario_id: scenarioId, status: 'running' });
      if (this.running.size > 50_000) this.running.clear();
      this.running.set(key, { experiments, expiresAt: Date.now() + RUNNING_EXPERIMENTS_TTL_MS });
      return experiments;
    } catch (error) {
      this.logger.warn({ err: error, tenant: tenantId, scenario: scenarioId }, 'running experiments unreadable: serving with the last known list');
      return hit?.experiments ?? [];
    }
  }

  private async listAll(tenantId: string, filter: Partial<ExperimentFilter>): Promise<Experiment[]> {
    const all: Experiment[] = [];
    for (let page = 1; ; page++) {
      const result = await this.experiments.list(tenantId, filter, { page, pageSize: MAX_PAGE_SIZE });
      all.push(...result.items);
      if (result.items.length < MAX_PAGE_SIZE) return all;
    }
  }

  private async checkNoOverlap(tenantId: string, candidate: Experiment): Promise<void> {
    const running = (await this.listAll(tenantId, { scenario_id: candidate.scenario_id, status: 'running' })).filter((e) => e.experiment_id !== candidate.experiment_id);
    const clash = overlappingSlices([candidate, ...running]).find((pair) => pair.includes(candidate.experiment_id));
    if (clash) {
      const other = clash[0] === candidate.experiment_id ? clash[1] : clash[0];
      throw new DomainError(
        'CONFLICT',
        `experiment '${other}' is already running on scenario '${candidate.scenario_id}' in layer '${candidate.layer}' with an overlapping layer_slice: stop it, or give this one another layer or a disjoint slice`,
      );
    }
  }

  /** Each variant's overrides, merged over the scenario's config, must make a valid config; errors name the variant's field. */
  private async checkOverrides(tenantId: string, scenarioId: string, variants: ReadonlyArray<{ config_overrides: Record<string, unknown> }>): Promise<void> {
    const issues: FieldIssue[] = [];
    for (const [index, variant] of variants.entries()) {
      if (Object.keys(variant.config_overrides).length === 0) continue;
      const validation = await this.scenarios.validate(tenantId, scenarioId, variant.config_overrides);
      for (const error of validation.errors) {
        // The validator names fields from the config's root (`config.recall...`); here they live under the variant's overrides.
        const path = error.field.replace(/^config\.?/, '');
        issues.push({ field: `variants.${index}.config_overrides${path ? `.${path}` : ''}`, message: error.message });
      }
    }
    if (issues.length) throw new DomainError('INVALID_SCENARIO_CONFIG', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
  }
}

const cacheKey = (tenantId: string, scenarioId: string): string => `${tenantId}\u0000${scenarioId}`;

/** The update's fields that were given (an absent field keeps the stored value). */
function definedFields(request: UpdateExperimentRequest): Partial<Experiment> {
  return Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined)) as Partial<Experiment>;
}

/**
 * Events counted for results: from the creation (a client clock may run a
 * little behind) to the end, or now while it runs, widened to whole UTC hours.
 * Events are selected by experiment_id anyway; the range only keeps stragglers
 * of stale caches out once the experiment is over, so whole hours change
 * nothing that matters, and let an analytics store answer from hourly
 * pre-aggregates instead of the events (ClickHouse's experiment rollup).
 */
function resultsRange(experiment: Experiment): AnalyticsRange {
  const from = Date.parse(experiment.created_at) - CLOCK_SKEW_MS;
  const end = (experiment.ended_at ? Date.parse(experiment.ended_at) : Date.now()) + CLOCK_SKEW_MS;
  return { from: Math.max(0, Math.floor(from / HOUR_MS) * HOUR_MS), to: Math.ceil(end / HOUR_MS) * HOUR_MS };
}
