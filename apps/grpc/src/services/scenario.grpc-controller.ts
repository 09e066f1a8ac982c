import { Controller } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { ScenariosUseCase } from '@lemo/application';
import { createScenarioSchema, pageInfo, parseOrThrow, SCENARIO_STATUSES, SCENARIO_TYPES, updateScenarioSchema, updateScenarioStatusSchema } from '@lemo/domain';
import { recommender } from '@lemo/contracts';
import { z } from 'zod';
import { GrpcCalls } from '../call/grpc-calls';
import { GrpcService, type UnaryHandlers } from '../grpc-service.decorator';
import { idOf, pageRequestOf, presentString } from '../mapping/proto-values';
import { scenarioMessage } from '../mapping/scenario.mapping';

const listFilterSchema = z.object({ scenario_type: z.enum(SCENARIO_TYPES).optional(), status: z.enum(SCENARIO_STATUSES).optional() }).strict();

/** lemo.recommender.v1.ScenarioService on ScenariosUseCase, with REST's scopes (reads: read, writes: admin). */
@Controller()
@GrpcService('ScenarioService', recommender.ScenarioServiceService)
export class ScenarioGrpcController implements UnaryHandlers<recommender.ScenarioServiceServer> {
  constructor(
    private readonly calls: GrpcCalls,
    private readonly scenarios: ScenariosUseCase,
  ) {}

  createScenario(request: recommender.CreateScenarioRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.CreateScenarioRequest, recommender.CreateScenarioResponse>) {
    return this.calls.run(call, 'admin', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const input = parseOrThrow(createScenarioSchema, {
        scenario_id: request.scenario_id,
        name: request.name,
        scenario_type: request.scenario_type,
        description: request.description,
        config: request.config,
      });
      return { scenario: scenarioMessage(await this.scenarios.create(tenantId, input)) };
    });
  }

  getScenario(request: recommender.GetScenarioRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetScenarioRequest, recommender.GetScenarioResponse>) {
    return this.calls.run(call, 'read', async (caller) => ({ scenario: scenarioMessage(await this.scenarios.get(caller.tenant(request.tenant_id), idOf(request.scenario_id, 'scenario_id'))) }));
  }

  listScenarios(request: recommender.ListScenariosRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.ListScenariosRequest, recommender.ListScenariosResponse>) {
    return this.calls.run(call, 'read', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const filter = parseOrThrow(listFilterSchema, { scenario_type: presentString(request.scenario_type), status: presentString(request.status) });
      const page = await this.scenarios.list(tenantId, filter, pageRequestOf(request.page));
      return { scenarios: page.items.map(scenarioMessage), page_info: pageInfo(page) };
    });
  }

  /** `config` patches the stored config (objects merge, arrays replace), as REST's PUT does. */
  updateScenario(request: recommender.UpdateScenarioRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.UpdateScenarioRequest, recommender.UpdateScenarioResponse>) {
    return this.calls.run(call, 'admin', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const input = parseOrThrow(updateScenarioSchema, { name: presentString(request.name), description: presentString(request.description), config: request.config });
      return { scenario: scenarioMessage(await this.scenarios.update(tenantId, idOf(request.scenario_id, 'scenario_id'), input)) };
    });
  }

  deleteScenario(request: recommender.DeleteScenarioRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.DeleteScenarioRequest, recommender.DeleteScenarioResponse>) {
    return this.calls.run(call, 'admin', async (caller) => {
      await this.scenarios.delete(caller.tenant(request.tenant_id), idOf(request.scenario_id, 'scenario_id'));
      return { success: true };
    });
  }

  updateScenarioStatus(
    request: recommender.UpdateScenarioStatusRequest,
    _metadata: Metadata,
    call: ServerUnaryCall<recommender.UpdateScenarioStatusRequest, recommender.UpdateScenarioStatusResponse>,
  ) {
    return this.calls.run(call, 'admin', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const { status } = parseOrThrow(updateScenarioStatusSchema, { status: request.status });
      return { scenario: scenarioMessage(await this.scenarios.setStatus(tenantId, idOf(request.scenario_id, 'scenario_id'), status)) };
    });
  }
}
