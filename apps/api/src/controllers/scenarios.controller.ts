import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { RequireScope, TenantId } from '@lemo/platform-auth';
import { ScenariosUseCase, TemplatesUseCase, toPageRequest } from '@lemo/application';
import { pageInfo } from '@lemo/domain';
import {
  ConfigValidationDto,
  CreateScenarioDto,
  CreateTemplateDto,
  ScenarioDto,
  ScenarioListQueryDto,
  ScenarioPageDto,
  TemplateDto,
  TemplateListDto,
  UpdateScenarioDto,
  UpdateScenarioStatusDto,
  ValidateConfigDto,
} from '../dto/scenarios.dto';

@ApiTags('scenarios')
@ApiSecurity('api-key')
@Controller('scenarios')
export class ScenariosController {
  constructor(private readonly scenarios: ScenariosUseCase) {}

  @Post()
  @RequireScope('admin')
  @ZodResponse({ status: 201, type: ScenarioDto })
  create(@TenantId() tenantId: string, @Body() body: CreateScenarioDto) {
    return this.scenarios.create(tenantId, body);
  }

  @Get()
  @ZodResponse({ type: ScenarioPageDto })
  async list(@TenantId() tenantId: string, @Query() query: ScenarioListQueryDto) {
    const { scenario_type, status } = query;
    const page = await this.scenarios.list(tenantId, { ...(scenario_type && { scenario_type }), ...(status && { status }) }, toPageRequest(query));
    return { items: page.items, page_info: pageInfo(page) };
  }

  @Get(':scenario_id')
  @ZodResponse({ type: ScenarioDto })
  get(@TenantId() tenantId: string, @Param('scenario_id') scenarioId: string) {
    return this.scenarios.get(tenantId, scenarioId);
  }

  /** `config` patches the stored config: objects merge, arrays replace; the result is validated whole. */
  @Put(':scenario_id')
  @RequireScope('admin')
  @ZodResponse({ type: ScenarioDto })
  update(@TenantId() tenantId: string, @Param('scenario_id') scenarioId: string, @Body() body: UpdateScenarioDto) {
    return this.scenarios.update(tenantId, scenarioId, body);
  }

  @Patch(':scenario_id/status')
  @RequireScope('admin')
  @ZodResponse({ type: ScenarioDto })
  setStatus(@TenantId() tenantId: string, @Param('scenario_id') scenarioId: string, @Body() body: UpdateScenarioStatusDto) {
    return this.scenarios.setStatus(tenantId, scenarioId, body.status);
  }

  @Delete(':scenario_id')
  @RequireScope('admin')
  @HttpCode(204)
  async delete(@TenantId() tenantId: string, @Param('scenario_id') scenarioId: string): Promise<void> {
    await this.scenarios.delete(tenantId, scenarioId);
  }

  /** Errors and warnings for the stored config, or for a candidate patch of it (nothing is saved). */
  @Post(':scenario_id/validate')
  @HttpCode(200)
  @ZodResponse({ type: ConfigValidationDto })
  validate(@TenantId() tenantId: string, @Param('scenario_id') scenarioId: string, @Body() body: ValidateConfigDto) {
    return this.scenarios.validate(tenantId, scenarioId, body.config);
  }
}

@ApiTags('templates')
@ApiSecurity('api-key')
@Controller('templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesUseCase) {}

  @Get()
  @ZodResponse({ type: TemplateListDto })
  async list(@TenantId() tenantId: string) {
    return { items: await this.templates.list(tenantId) };
  }

  @Get(':template_id')
  @ZodResponse({ type: TemplateDto })
  get(@TenantId() tenantId: string, @Param('template_id') templateId: string) {
    return this.templates.get(tenantId, templateId);
  }

  @Post()
  @RequireScope('admin')
  @ZodResponse({ status: 201, type: TemplateDto })
  create(@TenantId() tenantId: string, @Body() body: CreateTemplateDto) {
    return this.templates.create(tenantId, body);
  }

  /** System templates cannot be deleted (422). */
  @Delete(':template_id')
  @RequireScope('admin')
  @HttpCode(204)
  async delete(@TenantId() tenantId: string, @Param('template_id') templateId: string): Promise<void> {
    await this.templates.delete(tenantId, templateId);
  }
}
