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
