import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { RequireScope, TenantId } from '@lemo/platform-auth';
import { JobsUseCase } from '@lemo/application';
import { JobDto, JobListDto, JobQueueParamDto, ListJobsQueryDto, TriggerJobDto } from '../dto/jobs.dto';

/** The caller's background jobs (scheduled by beat, queued by its writes, or started here): status and progress. */
@ApiTags('jobs')
@ApiSecurity('api-key')
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsUseCase) {}

  /** Newest first; filter by queue and status. */
  @Get()
  @ZodResponse({ type: JobListDto })
  async list(@TenantId() tenantId: string, @Query() query: ListJobsQueryDto) {
    return { items: await this.jobs.list(tenantId, query) };
  }

  /** Starts item_similarity, item_vectors (every item) or recall_training for a scenario; one already waiting or running is returned instead. */
  @Post()
  @RequireScope('admin')
  @HttpCode(202)
  @ZodResponse({ status: 202, type: JobDto })
  trigger(@TenantId() tenantId: string, @Body() body: TriggerJobDto) {
    return this.jobs.trigger(tenantId, body);
  }

  @Get(':queue/:job_id')
  @ZodResponse({ type: JobDto })
  get(@TenantId() tenantId: string, @Param() params: JobQueueParamDto) {
    return this.jobs.get(tenantId, params.queue, params.job_id);
  }

  /** A waiting job never runs; a running one stops at its next check. A finished job answers 422. */
  @Post(':queue/:job_id/cancel')
  @RequireScope('admin')
  @HttpCode(200)
  @ZodResponse({ type: JobDto })
  cancel(@TenantId() tenantId: string, @Param() params: JobQueueParamDto) {
    return this.jobs.cancel(tenantId, params.queue, params.job_id);
  }
}
