import { Inject, Injectable } from '@nestjs/common';
import { DomainError, EventStore, ScenarioRepository } from '@lemo/domain';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';
import { RecommendUseCase } from '../recommend/recommend.use-case';
import { scanActiveUsers } from './active-users';
import type { PrecomputeJob } from './job-names';

/** Users with an event in the scenario this recently get a list. */
const ACTIVE_WINDOW_MS = 7 * 24 * 3_600_000;

/** Most recently active users first, up to maxUsers; the scan reads at most maxEvents events. */
export const DEFAULT_PRECOMPUTE_LIMITS = { maxUsers: 10_000, maxEvents: 2_000_000 };

export interface PrecomputeResult {
  active_users: number;
  stored: number;
  /** Users whose list came out empty (nothing to recommend): nothing stored. */
  empty: number;
  failed: number;
  capped: boolean;
}

/**
 * Precomputes the lists of a scenario's recently active users through the
 * real recommend pipeline (RecommendUseCase.precompute), so that serving them
 * is a cache read until they act again.
 */
@Injectable()
export class PrecomputeJobRunner {
  constructor(
    private readonly events: EventStore,
    private readonly scenarios: ScenarioRepository,
    private readonly recommend: RecommendUseCase,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  async run(job: PrecomputeJob, onProgress: (percent: number, stage: string) => Promise<void>, isCancelled: () => boolean, limits = DEFAULT_PRECOMPUTE_LIMITS): Promise<PrecomputeResult> {
    const { tenant_id: tenantId, scenario_id: scenarioId } = job;
    const result: PrecomputeResult = { active_users: 0, stored: 0, empty: 0, failed: 0, capped: false };
    const scenario = await this.scenarios.get(tenantId, scenarioId);
    if (!scenario || scenario.status !== 'active') return result;
    // No user cap in the scan itself: it is the most recent users that should get lists, so all are collected and the newest kept.
    const active = await scanActiveUsers(this.events, tenantId, scenarioId, Date.now() - ACTIVE_WINDOW_MS, { maxUsers: Number.POSITIVE_INFINITY, maxEvents: limits.maxEvents }, isCancelled);
    const users = [...active.users.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limits.maxUsers);
    Object.assign(result, { active_users: users.length, capped: active.capped || active.users.size > users.length });
    await onProgress(5, 'scan');
    for (const [index, [userId]] of users.entries()) {
      if (isCancelled()) break;
      try {
        if (await this.recommend.precompute(tenantId, scenarioId, userId)) result.stored++;
        else result.empty++;
      } catch (error) {
        // A scenario deleted or deactivated meanwhile ends the run; anything else costs only this user's list.
        if (error instanceof DomainError && (error.code === 'NOT_FOUND' || error.code === 'FAILED_PRECONDITION')) break;
        if (result.failed++ === 0) this.logger.warn({ tenant: tenantId, scenario: scenarioId, user: userId, err: error instanceof Error ? error.message : String(error) }, 'precompute failed for a user');
      }
      if ((index + 1) % 100 === 0) await onProgress(5 + Math.floor((94 * (index + 1)) / users.length), 'lists');
    }
    return result;
  }
}
