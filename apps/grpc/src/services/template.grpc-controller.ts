import { Controller } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { z } from 'zod';
import { TemplatesUseCase, updateTemplateSchema } from '@lemo/application';
import { createTemplateSchema, DomainError, offsetOf, pageInfo, parseOrThrow, SCENARIO_TYPES, systemTemplateFor } from '@lemo/domain';
import { recommender } from '@lemo/contracts';
import { GrpcCalls } from '../call/grpc-calls';
import { GrpcService, type UnaryHandlers } from '../grpc-service.decorator';
import { idOf, pageRequestOf, presentString } from '../mapping/proto-values';
import { templateMessage } from '../mapping/scenario.mapping';

const scenarioTypeSchema = z.object({ scenario_type: z.enum(SCENARIO_TYPES) }).strict();
const optionalScenarioTypeSchema = z.object({ scenario_type: z.enum(SCENARIO_TYPES).optional() }).strict();

/** lemo.recommender.v1.TemplateService on TemplatesUseCase: the tenant's templates and the system ones. */
@Controller()
@GrpcService('TemplateService', recommender.TemplateServiceService)
export class TemplateGrpcController implements UnaryHandlers<recommender.TemplateServiceServer> {
  constructor(
    private readonly calls: GrpcCalls,
    private readonly templates: TemplatesUseCase,
  ) {}

  /** A template serves one scenario type, so `scenario_types` takes exactly one; `creator` is not stored (the owner is the tenant). */
  createTemplate(request: recommender.CreateTemplateRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.CreateTemplateRequest, recommender.CreateTemplateResponse>) {
    return this.calls.run(call, 'admin', async (caller) => {
      if (request.scenario_types.length !== 1) throw DomainError.invalid('scenario_types', 'exactly one scenario type per template');
      const input = parseOrThrow(createTemplateSchema, {
        template_id: request.template_id,
        name: request.name,
        scenario_type: request.scenario_types[0],
        description: request.description,
        config: request.config ?? {},
      });
      return { template: templateMessage(await this.templates.create(caller.tenantId, input)) };
    });
  }

  getTemplate(request: recommender.GetTemplateRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetTemplateRequest, recommender.GetTemplateResponse>) {
    return this.calls.run(call, 'read', async (caller) => ({ template: templateMessage(await this.templates.get(caller.tenantId, idOf(request.template_id, 'template_id'))) }));
  }

  /** Filters and pages the tenant's visible templates (a handful: the system ones and its own). */
  listTemplates(request: recommender.ListTemplatesRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.ListTemplatesRequest, recommender.ListTemplatesResponse>) {
    return this.calls.run(call, 'read', async (caller) => {
      const { scenario_type } = parseOrThrow(optionalScenarioTypeSchema, { scenario_type: presentString(request.scenario_type) });
      const pageRequest = pageRequestOf(request.page);
      const matching = (await this.templates.list(caller.tenantId)).filter(
        (template) => (scenario_type === undefined || template.scenario_type === scenario_type) && (request.is_system === undefined || template.is_system === request.is_system),
      );
      const items = matching.slice(offsetOf(pageRequest), offsetOf(pageRequest) + pageRequest.pageSize);
      return { templates: items.map(templateMessage), page_info: pageInfo({ items, total: matching.length, page: pageRequest.page, pageSize: pageRequest.pageSize }) };
    });
  }

  /**
   * Edits one of the tenant's templates: set fields replace the stored ones, `config` is merged over
   * the stored config and validated; `scenario_types` takes at most one. System templates are
   * read-only (FAILED_PRECONDITION). An empty description reads as unset, so it cannot clear one.
   */
  updateTemplate(request: recommender.UpdateTemplateRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.UpdateTemplateRequest, recommender.UpdateTemplateResponse>) {
    return this.calls.run(call, 'admin', async (caller) => {
      if (request.scenario_types.length > 1) throw DomainError.invalid('scenario_types', 'at most one scenario type per template');
      const input = parseOrThrow(updateTemplateSchema, {
        name: presentString(request.name),
        description: presentString(request.description),
        scenario_type: request.scenario_types[0],
        config: request.config,
      });
      return { template: templateMessage(await this.templates.update(caller.tenantId, idOf(request.template_id, 'template_id'), input)) };
    });
  }

  /** System templates cannot be deleted (FAILED_PRECONDITION). */
  deleteTemplate(request: recommender.DeleteTemplateRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.DeleteTemplateRequest, recommender.DeleteTemplateResponse>) {
    return this.calls.run(call, 'admin', async (caller) => {
      await this.templates.delete(caller.tenantId, idOf(request.template_id, 'template_id'));
      return { success: true };
    });
  }

  /** The template a new scenario of this type starts from when it names none: the type's system template. */
  getTemplateByScenarioType(
    request: recommender.GetTemplateByScenarioTypeRequest,
    _metadata: Metadata,
    call: ServerUnaryCall<recommender.GetTemplateByScenarioTypeRequest, recommender.GetTemplateByScenarioTypeResponse>,
  ) {
    return this.calls.run(call, 'read', async (caller) => {
      const { scenario_type } = parseOrThrow(scenarioTypeSchema, { scenario_type: request.scenario_type });
      return { template: templateMessage(await this.templates.get(caller.tenantId, systemTemplateFor(scenario_type).template_id)) };
    });
  }
}
