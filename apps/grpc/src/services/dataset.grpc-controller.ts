import { Controller } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { datasetFilterSchema, DatasetsUseCase, pageQuerySchema, registerDatasetSchema, toPageRequest } from '@lemo/application';
import { parseOrThrow } from '@lemo/domain';
import { recommender } from '@lemo/contracts';
import { GrpcCalls } from '../call/grpc-calls';
import { GrpcService, type UnaryHandlers } from '../grpc-service.decorator';
import { datasetMessage } from '../mapping/dataset.mapping';
import { idOf, presentNumber, presentString } from '../mapping/proto-values';

/**
 * lemo.recommender.v1.DatasetService on DatasetsUseCase: the tenant's descriptions of training data
 * sets and exports. Registering and deleting need the admin scope, like training.
 */
@Controller()
@GrpcService('DatasetService', recommender.DatasetServiceService)
export class DatasetGrpcController implements UnaryHandlers<recommender.DatasetServiceServer> {
  constructor(
    private readonly calls: GrpcCalls,
    private readonly datasets: DatasetsUseCase,
  ) {}

  /** The request has no dataset_id: the server mints `ds-<uuid>`. Unset storage_type and format take `local` and `csv`. */
  createDataset(request: recommender.CreateDatasetRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.CreateDatasetRequest, recommender.CreateDatasetResponse>) {
    return this.calls.forTenant(call, 'admin', request.tenant_id, async (tenantId) => {
      const input = parseOrThrow(registerDatasetSchema, {
        name: request.name,
        description: request.description,
        storage_type: presentString(request.storage_type),
        path: request.path,
        file_size: request.file_size,
        format: presentString(request.format),
        created_by: request.created_by,
      });
      return { dataset: datasetMessage(await this.datasets.register(tenantId, input)) };
    });
  }

  /** Newest first; `page` and `page_size` default to 1 and 20, `format` filters exactly. */
  listDatasets(request: recommender.ListDatasetsRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.ListDatasetsRequest, recommender.ListDatasetsResponse>) {
    return this.calls.forTenant(call, 'read', request.tenant_id, async (tenantId) => {
      const filter = parseOrThrow(datasetFilterSchema, { format: presentString(request.format) });
      const page = toPageRequest(parseOrThrow(pageQuerySchema, { page: presentNumber(request.page), page_size: presentNumber(request.page_size) }));
      const found = await this.datasets.list(tenantId, filter.format ? { format: filter.format } : {}, page);
      return { items: found.items.map(datasetMessage), total: found.total };
    });
  }

  getDataset(request: recommender.GetDatasetRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetDatasetRequest, recommender.GetDatasetResponse>) {
    return this.calls.forTenant(call, 'read', request.tenant_id, async (tenantId) => ({ dataset: datasetMessage(await this.datasets.get(tenantId, idOf(request.dataset_id, 'dataset_id'))) }));
  }

  /** Forgets the description; the data at its path is not touched. */
  deleteDataset(request: recommender.DeleteDatasetRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.DeleteDatasetRequest, recommender.DeleteDatasetResponse>) {
    return this.calls.forTenant(call, 'admin', request.tenant_id, async (tenantId) => {
      await this.datasets.delete(tenantId, idOf(request.dataset_id, 'dataset_id'));
      return { success: true };
    });
  }
}
