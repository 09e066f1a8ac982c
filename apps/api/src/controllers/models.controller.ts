import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { RequireScope, TenantId } from '@lemo/platform-auth';
import { ModelsUseCase, toPageRequest } from '@lemo/application';
import { pageInfo } from '@lemo/domain';
import { DeployModelDto, ModelDto, ModelListQueryDto, ModelPageDto, TrainingJobDto, TrainModelDto } from '../dto/models.dto';

@ApiTags('models')
@ApiSecurity('api-key')
@Controller('models')
export class ModelsController {
  constructor(private readonly models: ModelsUseCase) {}

  @Get()
  @ZodResponse({ type: ModelPageDto })
  async list(@TenantId() tenantId: string, @Query() query: ModelListQueryDto) {
    const { model_type, status } = query;
    const page = await this.models.list(tenantId, { ...(model_type && { model_type }), ...(status && { status }) }, toPageRequest(query));
    return { items: page.items, page_info: pageInfo(page) };
  }

  /** Queues a training run of a recall algorithm on a scenario's events; poll it at /models/training/{job_id}. */
  @Post('train')
  @RequireScope('admin')
  @HttpCode(202)
  @ZodResponse({ status: 202, type: TrainingJobDto })
  train(@TenantId() tenantId: string, @Body() body: TrainModelDto) {
    return this.models.train(tenantId, body);
  }

  @Get('training/:job_id')
  @ZodResponse({ type: TrainingJobDto })
  trainingStatus(@TenantId() tenantId: string, @Param('job_id') jobId: string) {
    return this.models.trainingStatus(tenantId, jobId);
  }

  @Get(':model_id')
  @ZodResponse({ type: ModelDto })
  get(@TenantId() tenantId: string, @Param('model_id') modelId: string) {
    return this.models.get(tenantId, modelId);
  }

  /** Serves this version (also to roll back to an older one); recommendations follow within seconds. */
  @Post(':model_id/deploy')
  @RequireScope('admin')
  @HttpCode(200)
  @ZodResponse({ type: ModelDto })
  deploy(@TenantId() tenantId: string, @Param('model_id') modelId: string, @Body() body: DeployModelDto) {
    return this.models.deploy(tenantId, modelId, body.version);
  }
}
