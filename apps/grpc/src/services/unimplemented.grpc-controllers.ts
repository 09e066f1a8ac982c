import { Controller } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { recommender } from '@lemo/contracts';
import { GrpcCalls } from '../call/grpc-calls';
import { GrpcStatusError } from '../call/grpc-status-error';
import { GrpcService, type UnaryHandlers } from '../grpc-service.decorator';

/*
 * Services of the contract that no use case backs yet. Each RPC authenticates like any other
 * (so a caller learns nothing without a valid credential) and then answers UNIMPLEMENTED with
 * what is missing, rather than inventing data. They move to their own controllers when their
 * use cases land in libs/application.
 */

const EXPERIMENT_MISSING =
  'no experiment use case exists yet (libs/application has bucketing and statistics helpers, but no experiment management or results use case)';

@Controller()
@GrpcService('ExperimentService', recommender.ExperimentServiceService)
export class ExperimentGrpcController implements UnaryHandlers<recommender.ExperimentServiceServer> {
  constructor(private readonly calls: GrpcCalls) {}

  createExperiment(_request: recommender.CreateExperimentRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.CreateExperimentRequest, recommender.CreateExperimentResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('ExperimentService.CreateExperiment', EXPERIMENT_MISSING);
    });
  }

  getExperiment(_request: recommender.GetExperimentRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetExperimentRequest, recommender.GetExperimentResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('ExperimentService.GetExperiment', EXPERIMENT_MISSING);
    });
  }

  listExperiments(_request: recommender.ListExperimentsRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.ListExperimentsRequest, recommender.ListExperimentsResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('ExperimentService.ListExperiments', EXPERIMENT_MISSING);
    });
  }

  updateExperiment(_request: recommender.UpdateExperimentRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.UpdateExperimentRequest, recommender.UpdateExperimentResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('ExperimentService.UpdateExperiment', EXPERIMENT_MISSING);
    });
  }

  deleteExperiment(_request: recommender.DeleteExperimentRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.DeleteExperimentRequest, recommender.DeleteExperimentResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('ExperimentService.DeleteExperiment', EXPERIMENT_MISSING);
    });
  }

  startExperiment(_request: recommender.StartExperimentRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.StartExperimentRequest, recommender.StartExperimentResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('ExperimentService.StartExperiment', EXPERIMENT_MISSING);
    });
  }

  stopExperiment(_request: recommender.StopExperimentRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.StopExperimentRequest, recommender.StopExperimentResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('ExperimentService.StopExperiment', EXPERIMENT_MISSING);
    });
  }

  getExperimentResults(_request: recommender.GetExperimentResultsRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetExperimentResultsRequest, recommender.GetExperimentResultsResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('ExperimentService.GetExperimentResults', EXPERIMENT_MISSING);
    });
  }

}

const ANALYTICS_MISSING =
  'no analytics query use case exists yet (the AnalyticsStore port is written to, but nothing in libs/application reads dashboards, trends or exports from it)';

@Controller()
@GrpcService('AnalyticsService', recommender.AnalyticsServiceService)
export class AnalyticsGrpcController implements UnaryHandlers<recommender.AnalyticsServiceServer> {
  constructor(private readonly calls: GrpcCalls) {}

  getDashboard(_request: recommender.GetDashboardRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetDashboardRequest, recommender.GetDashboardResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('AnalyticsService.GetDashboard', ANALYTICS_MISSING);
    });
  }

  getMetricsTrend(_request: recommender.GetMetricsTrendRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetMetricsTrendRequest, recommender.GetMetricsTrendResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('AnalyticsService.GetMetricsTrend', ANALYTICS_MISSING);
    });
  }

  getItemDistribution(_request: recommender.GetItemDistributionRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetItemDistributionRequest, recommender.GetItemDistributionResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('AnalyticsService.GetItemDistribution', ANALYTICS_MISSING);
    });
  }

  getUserBehaviorAnalysis(_request: recommender.GetUserBehaviorAnalysisRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetUserBehaviorAnalysisRequest, recommender.GetUserBehaviorAnalysisResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('AnalyticsService.GetUserBehaviorAnalysis', ANALYTICS_MISSING);
    });
  }

  exportData(_request: recommender.ExportDataRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.ExportDataRequest, recommender.ExportDataResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('AnalyticsService.ExportData', ANALYTICS_MISSING);
    });
  }

}

const DATASET_MISSING =
  'no dataset use case exists yet (libs/domain defines Dataset, libs/application manages none)';

@Controller()
@GrpcService('DatasetService', recommender.DatasetServiceService)
export class DatasetGrpcController implements UnaryHandlers<recommender.DatasetServiceServer> {
  constructor(private readonly calls: GrpcCalls) {}

  createDataset(_request: recommender.CreateDatasetRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.CreateDatasetRequest, recommender.CreateDatasetResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('DatasetService.CreateDataset', DATASET_MISSING);
    });
  }

  listDatasets(_request: recommender.ListDatasetsRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.ListDatasetsRequest, recommender.ListDatasetsResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('DatasetService.ListDatasets', DATASET_MISSING);
    });
  }

  getDataset(_request: recommender.GetDatasetRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetDatasetRequest, recommender.GetDatasetResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('DatasetService.GetDataset', DATASET_MISSING);
    });
  }

  deleteDataset(_request: recommender.DeleteDatasetRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.DeleteDatasetRequest, recommender.DeleteDatasetResponse>) {
    return this.calls.run(call, 'read', async () => {
      throw GrpcStatusError.unimplemented('DatasetService.DeleteDataset', DATASET_MISSING);
    });
  }

}
