import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ModelServingUseCase } from '@lemo/application';
import { CallerTenant, OptionalCallerTenant } from './internal-request';
import { BatchPredictRequestDto, LoadModelRequestDto, PredictRequestDto } from './models.dto';

/**
 * The model-server's internal API: a tenant's learned rankers by scenario,
 * model (lr, fm, deepfm, wide_deep) and version, the deployed one by default.
 */
@Controller('v1/models')
export class ModelsController {
  constructor(private readonly serving: ModelServingUseCase) {}

  /** Loaded versions: the caller tenant's, or every tenant's without X-Tenant-Id (operators). */
  @Get()
  list(@OptionalCallerTenant() tenantId: string | undefined) {
    const items = this.serving.list(tenantId);
    return { items, count: items.length };
  }

  @Post(':scenario_id/:model/predict')
  @HttpCode(200)
  predict(@CallerTenant() tenantId: string, @Param('scenario_id') scenarioId: string, @Param('model') model: string, @Body() body: PredictRequestDto) {
    return this.serving.predict(tenantId, scenarioId, model, body);
  }

  /** Many candidate lists scored by one version in one forward pass. */
  @Post(':scenario_id/:model/predict/batch')
  @HttpCode(200)
  batchPredict(@CallerTenant() tenantId: string, @Param('scenario_id') scenarioId: string, @Param('model') model: string, @Body() body: BatchPredictRequestDto) {
    return this.serving.batchPredict(tenantId, scenarioId, model, body);
  }

  /** Loads `version` and keeps it, or, without one, re-reads the deployed version and swaps to it now. */
  @Post(':scenario_id/:model/load')
  @HttpCode(200)
  load(@CallerTenant() tenantId: string, @Param('scenario_id') scenarioId: string, @Param('model') model: string, @Body() body: LoadModelRequestDto) {
    return this.serving.load(tenantId, scenarioId, model, body.version);
  }

  /** Frees a loaded version once its in-flight requests finish; a later request for it loads it again. */
  @Delete(':scenario_id/:model/:version')
  @HttpCode(204)
  unload(@CallerTenant() tenantId: string, @Param('scenario_id') scenarioId: string, @Param('model') model: string, @Param('version') version: string): void {
    this.serving.unload(tenantId, scenarioId, model, version);
  }
}
