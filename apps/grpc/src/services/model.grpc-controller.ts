import { Controller } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { ModelsUseCase, recallModelId, trainRecallModelSchema, updateModelSchema } from '@lemo/application';
import { createModelSchema, DomainError, isDomainError, pageInfo, parseOrThrow, type Model } from '@lemo/domain';
import { recommender } from '@lemo/contracts';
import { GrpcCalls } from '../call/grpc-calls';
import { GrpcService, type UnaryHandlers } from '../grpc-service.decorator';
import { modelMessage, modelStatusOf, modelTypeOf, trainingStatusMessage } from '../mapping/model.mapping';
import { idOf, pageRequestOf, presentString } from '../mapping/proto-values';

/** Versions are what training produces; a registry edit never names one. */
const VERSIONS_COME_FROM_TRAINING = 'versions are made by TrainModel (DeployModel picks the one served)';

/**
 * lemo.recommender.v1.ModelService on ModelsUseCase: register, read, edit and delete models, train,
 * follow a training job, deploy a version. Everything but reads needs the admin scope.
 */
@Controller()
@GrpcService('ModelService', recommender.ModelServiceService)
export class ModelGrpcController implements UnaryHandlers<recommender.ModelServiceServer> {
  constructor(
    private readonly calls: GrpcCalls,
    private readonly models: ModelsUseCase,
  ) {}

  /** Registers a `draft` model without versions; its first TrainModel run appends v1. `version` must be empty. */
  createModel(request: recommender.CreateModelRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.CreateModelRequest, recommender.CreateModelResponse>) {
    return this.calls.forTenant(call, 'admin', request.tenant_id, async (tenantId) => {
      if (request.version) throw DomainError.invalid('version', VERSIONS_COME_FROM_TRAINING);
      const input = parseOrThrow(createModelSchema, {
        model_id: request.model_id,
        name: request.name,
        model_type: modelTypeOf(request.model_type),
        algorithm: request.algorithm,
        description: request.description,
        config: request.config ?? {},
      });
      return { model: modelMessage(await this.models.create(tenantId, input)) };
    });
  }

  getModel(request: recommender.GetModelRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetModelRequest, recommender.GetModelResponse>) {
    return this.calls.run(call, 'read', async (caller) => ({ model: modelMessage(await this.models.get(caller.tenant(request.tenant_id), idOf(request.model_id, 'model_id'))) }));
  }

  listModels(request: recommender.ListModelsRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.ListModelsRequest, recommender.ListModelsResponse>) {
    return this.calls.run(call, 'read', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const modelType = request.model_type ? modelTypeOf(request.model_type) : undefined;
      const status = request.status ? modelStatusOf(request.status) : undefined;
      if (request.model_type && !modelType) throw DomainError.invalid('model_type', `unknown model type ${request.model_type}`);
      if (request.status && !status) throw DomainError.invalid('status', `unknown model status ${request.status}`);
      const page = await this.models.list(tenantId, { ...(modelType && { model_type: modelType }), ...(status && { status }) }, pageRequestOf(request.page));
      return { models: page.items.map(modelMessage), page_info: pageInfo(page) };
    });
  }

  /**
   * Set fields replace the stored ones (`config` whole). The only `status` accepted is
   * MODEL_STATUS_ARCHIVED, which undeploys; `algorithm` is fixed once a version exists; `version` must be empty.
   */
  updateModel(request: recommender.UpdateModelRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.UpdateModelRequest, recommender.UpdateModelResponse>) {
    return this.calls.forTenant(call, 'admin', request.tenant_id, async (tenantId) => {
      if (request.version) throw DomainError.invalid('version', VERSIONS_COME_FROM_TRAINING);
      const status = request.status ? modelStatusOf(request.status) : undefined;
      if (request.status && !status) throw DomainError.invalid('status', `unknown model status ${request.status}`);
      const input = parseOrThrow(updateModelSchema, {
        name: presentString(request.name),
        description: presentString(request.description),
        config: request.config,
        algorithm: presentString(request.algorithm),
        status,
      });
      return { model: modelMessage(await this.models.update(tenantId, idOf(request.model_id, 'model_id'), input)) };
    });
  }

  /** Deletes the model and its artifacts; FAILED_PRECONDITION while a version is deployed (archive it first) or a training run of it is queued or running. */
  deleteModel(request: recommender.DeleteModelRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.DeleteModelRequest, recommender.DeleteModelResponse>) {
    return this.calls.forTenant(call, 'admin', request.tenant_id, async (tenantId) => {
      await this.models.delete(tenantId, idOf(request.model_id, 'model_id'));
      return { success: true };
    });
  }

  /**
   * Queues a training run. `training_config` takes scenario_id, algorithm, params and deploy; for an
   * existing model, scenario_id and algorithm default to the model's. A recall model's id is
   * `<scenario_id>.<algorithm>`, so a model_id that the run would not produce is refused.
   */
  trainModel(request: recommender.TrainModelRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.TrainModelRequest, recommender.TrainModelResponse>) {
    return this.calls.run(call, 'admin', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const existing = request.model_id ? await this.models.get(tenantId, idOf(request.model_id, 'model_id')).catch(unlessNotFound) : null;
      const input = parseOrThrow(trainRecallModelSchema, { ...(existing && { scenario_id: existing.scenario_id ?? undefined, algorithm: existing.algorithm }), ...request.training_config }, 'training_config');
      const producedId = recallModelId(input.scenario_id, input.algorithm);
      if (request.model_id && request.model_id !== producedId) {
        throw DomainError.invalid('model_id', `training ${input.algorithm} on scenario '${input.scenario_id}' produces model '${producedId}'`);
      }
      const job = await this.models.train(tenantId, input);
      return recommender.TrainModelResponse.fromPartial({ job_id: job.job_id, model: existing ? modelMessage(existing) : undefined });
    });
  }

  getTrainingStatus(request: recommender.GetTrainingStatusRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetTrainingStatusRequest, recommender.GetTrainingStatusResponse>) {
    return this.calls.run(call, 'read', async (caller) => {
      const job = await this.models.trainingStatus(caller.tenant(request.tenant_id), idOf(request.job_id, 'job_id'));
      return { status: trainingStatusMessage(job) };
    });
  }

  /** Serves the given trained version; `deployment_url` stays empty, as models are served in-process. */
  deployModel(request: recommender.DeployModelRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.DeployModelRequest, recommender.DeployModelResponse>) {
    return this.calls.run(call, 'admin', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const model = await this.models.deploy(tenantId, idOf(request.model_id, 'model_id'), idOf(request.version, 'version'));
      return { model: modelMessage(model), deployment_url: '' };
    });
  }
}

function unlessNotFound(error: unknown): Model | null {
  if (isDomainError(error) && error.code === 'NOT_FOUND') return null;
  throw error;
}
