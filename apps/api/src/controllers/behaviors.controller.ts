import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { RequireScope, TenantId } from '@lemo/platform-auth';
import { TrackBehaviorsUseCase, TrackingSchemasUseCase, type EventResult } from '@lemo/application';
import { TrackBatchDto, TrackBatchResultDto, TrackEventDto, TrackEventResultDto, TrackingSchemaBodyDto, TrackingSchemaDto } from '../dto/behaviors.dto';

@ApiTags('behaviors')
@ApiSecurity('api-key')
@Controller('behaviors')
export class BehaviorsController {
  constructor(private readonly tracking: TrackBehaviorsUseCase) {}

  /** Idempotent by `event_id`: a retried event is stored and counted once (`duplicate`). */
  @Post('track')
  @RequireScope('write')
  @HttpCode(200)
  @ZodResponse({ type: TrackEventResultDto })
  async track(@TenantId() tenantId: string, @Body() body: TrackEventDto) {
    const result = await this.tracking.trackOne(tenantId, body);
    return { success: true, event_id: result.event_id, status: result.status === 'duplicate' ? ('duplicate' as const) : ('accepted' as const) };
  }

  /** Up to 1,000 events; valid ones are stored even when others are rejected, each outcome reported by index. */
  @Post('track/batch')
  @RequireScope('write')
  @HttpCode(200)
  @ZodResponse({ type: TrackBatchResultDto })
  async trackBatch(@TenantId() tenantId: string, @Body() body: TrackBatchDto) {
    return summarise(await this.tracking.track(tenantId, body.events));
  }

  /** Runs every check track runs, stores nothing. */
  @Post('validate')
  @HttpCode(200)
  @ZodResponse({ type: TrackBatchResultDto })
  async validate(@TenantId() tenantId: string, @Body() body: TrackBatchDto) {
    return summarise(await this.tracking.validate(tenantId, body.events));
  }
}

function summarise(results: EventResult[]) {
  const count = (status: EventResult['status']) => results.filter((r) => r.status === status).length;
  const rejected = count('rejected');
  return { success: rejected === 0, total: results.length, accepted: count('accepted'), duplicates: count('duplicate'), rejected, results };
}

@ApiTags('tracking schemas')
@ApiSecurity('api-key')
@Controller('tracking-schemas/:scenario_id')
export class TrackingSchemasController {
  constructor(private readonly schemas: TrackingSchemasUseCase) {}

  @Get()
  @ZodResponse({ type: TrackingSchemaDto })
  get(@TenantId() tenantId: string, @Param('scenario_id') scenarioId: string) {
    return this.schemas.get(tenantId, scenarioId);
  }

  @Put()
  @RequireScope('admin')
  @ZodResponse({ type: TrackingSchemaDto })
  put(@TenantId() tenantId: string, @Param('scenario_id') scenarioId: string, @Body() body: TrackingSchemaBodyDto) {
    return this.schemas.put(tenantId, scenarioId, body);
  }

  /** Applies the built-in schema of the scenario's type. */
  @Post('apply-template')
  @RequireScope('admin')
  @HttpCode(200)
  @ZodResponse({ type: TrackingSchemaDto })
  applyTemplate(@TenantId() tenantId: string, @Param('scenario_id') scenarioId: string) {
    return this.schemas.applyTemplate(tenantId, scenarioId);
  }

  @Delete()
  @RequireScope('admin')
  @HttpCode(204)
  async delete(@TenantId() tenantId: string, @Param('scenario_id') scenarioId: string): Promise<void> {
    await this.schemas.delete(tenantId, scenarioId);
  }
}
