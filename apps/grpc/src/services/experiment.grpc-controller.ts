import { Controller } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { createExperimentSchema, ExperimentsUseCase, experimentResultsQuerySchema, updateExperimentSchema } from '@lemo/application';
import { DomainError, pageInfo, parseOrThrow, type Experiment } from '@lemo/domain';
import { recommender } from '@lemo/contracts';
import type { Caller } from '../call/caller';
import { GrpcCalls } from '../call/grpc-calls';
import { GrpcService, type UnaryHandlers } from '../grpc-service.decorator';
import { experimentMessage, experimentResultsMessage, experimentStatusFilterOf, variantInputOf, withWireExperimentFields } from '../mapping/experiment.mapping';
import { decimalOfFloat, idOf, pageRequestOf, presentNumber, presentString, setFieldsOf } from '../mapping/proto-values';

const { TrafficSplitMethod } = recommender;

/** Requests that name one experiment (and optionally the scenario it must belong to). */
interface ExperimentRef {
  tenant_id: string;
  scenario_id: string;
  experiment_id: string;
}

/**
 * lemo.recommender.v1.ExperimentService on ExperimentsUseCase, like REST's /experiments: reads need
 * `read`, writes and lifecycle moves `admin`. Groups are the domain's variants (group_id = variant_id,
 * traffic_ratio = traffic_percent / 100, strategy.additional_config = config_overrides). The contract
 * has no experiment_id on create, so the server mints one (`exp-<uuid>`).
 */
@Controller()
@GrpcService('ExperimentService', recommender.ExperimentServiceService)
export class ExperimentGrpcController implements UnaryHandlers<recommender.ExperimentServiceServer> {
  constructor(
    private readonly calls: GrpcCalls,
    private readonly experiments: ExperimentsUseCase,
  ) {}

  createExperiment(request: recommender.CreateExperimentRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.CreateExperimentRequest, recommender.CreateExperimentResponse>) {
    return this.calls.run(call, 'admin', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const method = request.traffic_split_method;
      if (method !== TrafficSplitMethod.TRAFFIC_SPLIT_METHOD_UNSPECIFIED && method !== TrafficSplitMethod.TRAFFIC_SPLIT_METHOD_USER_ID_HASH) {
        throw DomainError.invalid('traffic_split_method', 'only TRAFFIC_SPLIT_METHOD_USER_ID_HASH is supported: users are assigned deterministically by a hash of their id');
      }
      const input = (() => {
        try {
          return parseOrThrow(createExperimentSchema, {
            experiment_id: `exp-${randomUUID()}`,
            scenario_id: request.scenario_id,
            name: request.name,
            description: request.description,
            hypothesis: request.hypothesis,
            variants: request.groups.map(variantInputOf),
            min_sample_size: presentNumber(request.min_sample_size),
            confidence_level: presentNumber(decimalOfFloat(request.confidence_level)),
          });
        } catch (error) {
          return withWireExperimentFields(error);
        }
      })();
      const experiment = await this.experiments.create(tenantId, input).catch(withWireExperimentFields);
      return { experiment: experimentMessage(experiment) };
    });
  }

  getExperiment(request: recommender.GetExperimentRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetExperimentRequest, recommender.GetExperimentResponse>) {
    return this.calls.run(call, 'read', async (caller) => ({ experiment: experimentMessage(await this.find(caller, request)) }));
  }

  listExperiments(request: recommender.ListExperimentsRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.ListExperimentsRequest, recommender.ListExperimentsResponse>) {
    return this.calls.run(call, 'read', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const scenarioId = presentString(request.scenario_id);
      const status = experimentStatusFilterOf(request.status);
      const page = await this.experiments.list(tenantId, { ...(scenarioId && { scenario_id: idOf(scenarioId, 'scenario_id') }), ...(status && { status }) }, pageRequestOf(request.page));
      return { experiments: page.items.map(experimentMessage), page_info: pageInfo(page) };
    });
  }

  /** Changes the fields given (unset ones keep their value); 0 is "not given" for min_sample_size and confidence_level. */
  updateExperiment(request: recommender.UpdateExperimentRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.UpdateExperimentRequest, recommender.UpdateExperimentResponse>) {
    return this.calls.run(call, 'admin', async (caller) => {
      const current = await this.find(caller, request);
      const { name, description, hypothesis, min_sample_size, confidence_level } = request;
      const changes = parseOrThrow(updateExperimentSchema, setFieldsOf({ name, description, hypothesis, min_sample_size, confidence_level: decimalOfFloat(confidence_level) }));
      return { experiment: experimentMessage(await this.experiments.update(current.tenant_id, current.experiment_id, changes)) };
    });
  }

  /** Deletes a draft, completed or archived experiment (a running or paused one is ABORTED: stop it first). */
  deleteExperiment(request: recommender.DeleteExperimentRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.DeleteExperimentRequest, recommender.DeleteExperimentResponse>) {
    return this.calls.run(call, 'admin', async (caller) => {
      const current = await this.find(caller, request);
      await this.experiments.delete(current.tenant_id, current.experiment_id);
      return { success: true };
    });
  }

  /** Draft → running, or resumes a paused experiment. */
  startExperiment(request: recommender.StartExperimentRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.StartExperimentRequest, recommender.StartExperimentResponse>) {
    return this.calls.run(call, 'admin', async (caller) => {
      const current = await this.find(caller, request);
      return { experiment: experimentMessage(await this.experiments.transition(current.tenant_id, current.experiment_id, 'start')) };
    });
  }

  /** Running or paused → completed (shown as EXPERIMENT_STATUS_COMPLETED). */
  stopExperiment(request: recommender.StopExperimentRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.StopExperimentRequest, recommender.StopExperimentResponse>) {
    return this.calls.run(call, 'admin', async (caller) => {
      const current = await this.find(caller, request);
      return { experiment: experimentMessage(await this.experiments.transition(current.tenant_id, current.experiment_id, 'stop')) };
    });
  }

  /** Results with purchase as the conversion action (REST's default; the request has no field to choose another). */
  getExperimentResults(request: recommender.GetExperimentResultsRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetExperimentResultsRequest, recommender.GetExperimentResultsResponse>) {
    return this.calls.run(call, 'read', async (caller) => {
      const experiment = await this.find(caller, request);
      const report = await this.experiments.results(experiment.tenant_id, experiment.experiment_id, parseOrThrow(experimentResultsQuerySchema, {}));
      return experimentResultsMessage(experiment, report);
    });
  }

  /** The caller's experiment; a scenario_id other than the experiment's is NOT_FOUND, as the experiment is not in that scenario. */
  private async find(caller: Caller, request: ExperimentRef): Promise<Experiment> {
    const tenantId = caller.tenant(request.tenant_id);
    const experimentId = idOf(request.experiment_id, 'experiment_id');
    const scenarioId = presentString(request.scenario_id);
    const experiment = await this.experiments.get(tenantId, experimentId);
    if (scenarioId !== undefined && idOf(scenarioId, 'scenario_id') !== experiment.scenario_id) throw DomainError.notFound('experiment', experimentId);
    return experiment;
  }
}
