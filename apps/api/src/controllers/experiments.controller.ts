import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { RequireScope, TenantId } from '@lemo/platform-auth';
import { ExperimentsUseCase, toPageRequest } from '@lemo/application';
import { pageInfo } from '@lemo/domain';
import {
  AssignmentDto,
  AssignmentListDto,
  AssignmentListQueryDto,
  CreateExperimentDto,
  ExperimentDto,
  ExperimentListQueryDto,
  ExperimentPageDto,
  ExperimentResultsDto,
  ExperimentResultsQueryDto,
  UpdateExperimentDto,
} from '../dto/experiments.dto';

/**
 * A/B experiments of a scenario: draft → running ⇄ paused → completed →
 * archived. Who sees which variant is fixed while it runs; results are
 * computed from the tracked events that carry the experiment's id and group.
 */
@ApiTags('experiments')
@ApiSecurity('api-key')
@Controller('experiments')
export class ExperimentsController {
  constructor(private readonly experiments: ExperimentsUseCase) {}

  @Post()
  @RequireScope('admin')
  @ZodResponse({ status: 201, type: ExperimentDto })
  create(@TenantId() tenantId: string, @Body() body: CreateExperimentDto) {
    return this.experiments.create(tenantId, body);
  }

  @Get()
  @ZodResponse({ type: ExperimentPageDto })
  async list(@TenantId() tenantId: string, @Query() query: ExperimentListQueryDto) {
    const { scenario_id, status } = query;
    const page = await this.experiments.list(tenantId, { ...(scenario_id && { scenario_id }), ...(status && { status }) }, toPageRequest(query));
    return { items: page.items, page_info: pageInfo(page) };
  }

  @Get(':experiment_id')
  @ZodResponse({ type: ExperimentDto })
  get(@TenantId() tenantId: string, @Param('experiment_id') experimentId: string) {
    return this.experiments.get(tenantId, experimentId);
  }

  /** Names, description and sample settings change any time; variants, traffic, layer, slice, holdout and targeting only in draft (409 otherwise). */
  @Patch(':experiment_id')
  @RequireScope('admin')
  @ZodResponse({ type: ExperimentDto })
  update(@TenantId() tenantId: string, @Param('experiment_id') experimentId: string, @Body() body: UpdateExperimentDto) {
    return this.experiments.update(tenantId, experimentId, body);
  }

  /** Only a draft, completed or archived experiment can be deleted. */
  @Delete(':experiment_id')
  @RequireScope('admin')
  @HttpCode(204)
  async delete(@TenantId() tenantId: string, @Param('experiment_id') experimentId: string): Promise<void> {
    await this.experiments.delete(tenantId, experimentId);
  }

  /** From draft or paused; 409 when another running experiment of the scenario overlaps it in its layer. */
  @Post(':experiment_id/start')
  @RequireScope('admin')
  @HttpCode(200)
  @ZodResponse({ type: ExperimentDto })
  start(@TenantId() tenantId: string, @Param('experiment_id') experimentId: string) {
    return this.experiments.transition(tenantId, experimentId, 'start');
  }

  @Post(':experiment_id/pause')
  @RequireScope('admin')
  @HttpCode(200)
  @ZodResponse({ type: ExperimentDto })
  pause(@TenantId() tenantId: string, @Param('experiment_id') experimentId: string) {
    return this.experiments.transition(tenantId, experimentId, 'pause');
  }

  /** Completes the experiment for good; its results stay readable. */
  @Post(':experiment_id/stop')
  @RequireScope('admin')
  @HttpCode(200)
  @ZodResponse({ type: ExperimentDto })
  stop(@TenantId() tenantId: string, @Param('experiment_id') experimentId: string) {
    return this.experiments.transition(tenantId, experimentId, 'stop');
  }

  @Post(':experiment_id/archive')
  @RequireScope('admin')
  @HttpCode(200)
  @ZodResponse({ type: ExperimentDto })
  archive(@TenantId() tenantId: string, @Param('experiment_id') experimentId: string) {
    return this.experiments.transition(tenantId, experimentId, 'archive');
  }

  /** Per-variant users, impressions, clicks, conversions and rates, with lifts, p-values, the sample ratio check and the sample size still needed. */
  @Get(':experiment_id/results')
  @ZodResponse({ type: ExperimentResultsDto })
  results(@TenantId() tenantId: string, @Param('experiment_id') experimentId: string, @Query() query: ExperimentResultsQueryDto) {
    return this.experiments.results(tenantId, experimentId, query);
  }

  /**
   * The users `POST /recommend` served in the experiment (recorded once per user, with the first time,
   * written within about a second): users per variant, and a page of them (`variant_id`, `user_id` filter).
   */
  @Get(':experiment_id/assignments')
  @ZodResponse({ type: AssignmentListDto })
  async assignments(@TenantId() tenantId: string, @Param('experiment_id') experimentId: string, @Query() query: AssignmentListQueryDto) {
    const report = await this.experiments.assignments(tenantId, experimentId, query);
    return {
      experiment_id: report.experiment_id,
      counts: report.counts,
      total_users: report.total_users,
      items: report.page.items,
      page_info: pageInfo(report.page),
    };
  }

  /** The user's deterministic variant (the same answer serving computes), the experiment_group their events must carry, and what serving recorded. */
  @Get(':experiment_id/assignments/:user_id')
  @ZodResponse({ type: AssignmentDto })
  assignment(@TenantId() tenantId: string, @Param('experiment_id') experimentId: string, @Param('user_id') userId: string) {
    return this.experiments.assignment(tenantId, experimentId, userId);
  }
}
