import { Controller } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { recommender } from '@lemo/contracts';
import { GrpcCalls } from '../call/grpc-calls';
import { GrpcStatusError } from '../call/grpc-status-error';
import { GrpcService, type UnaryHandlers } from '../grpc-service.decorator';

/**
 * FlinkJobService has no meaning here: the stream jobs are the platform's own (apps/streams, on the
 * event bus), not Flink jobs that clients template and submit, and there is no Flink cluster to
 * report on. Every RPC answers UNIMPLEMENTED saying so, without needing a credential.
 */
const NO_FLINK = 'this platform runs no Flink cluster; its stream jobs are built in (apps/streams) and are not submitted, paused or resumed through the API';

@Controller()
@GrpcService('FlinkJobService', recommender.FlinkJobServiceService)
export class FlinkJobGrpcController implements UnaryHandlers<recommender.FlinkJobServiceServer> {
  constructor(private readonly calls: GrpcCalls) {}

  createJobTemplate(_request: recommender.CreateJobTemplateRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.CreateJobTemplateRequest, recommender.CreateJobTemplateResponse>) {
    return this.calls.runWithoutCredentials(call, async () => unimplemented('CreateJobTemplate'));
  }

  updateJobTemplate(_request: recommender.UpdateJobTemplateRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.UpdateJobTemplateRequest, recommender.UpdateJobTemplateResponse>) {
    return this.calls.runWithoutCredentials(call, async () => unimplemented('UpdateJobTemplate'));
  }

  deleteJobTemplate(_request: recommender.DeleteJobTemplateRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.DeleteJobTemplateRequest, recommender.DeleteJobTemplateResponse>) {
    return this.calls.runWithoutCredentials(call, async () => unimplemented('DeleteJobTemplate'));
  }

  getJobTemplate(_request: recommender.GetJobTemplateRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetJobTemplateRequest, recommender.GetJobTemplateResponse>) {
    return this.calls.runWithoutCredentials(call, async () => unimplemented('GetJobTemplate'));
  }

  listJobTemplates(_request: recommender.ListJobTemplatesRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.ListJobTemplatesRequest, recommender.ListJobTemplatesResponse>) {
    return this.calls.runWithoutCredentials(call, async () => unimplemented('ListJobTemplates'));
  }

  submitJob(_request: recommender.SubmitJobRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.SubmitJobRequest, recommender.SubmitJobResponse>) {
    return this.calls.runWithoutCredentials(call, async () => unimplemented('SubmitJob'));
  }

  getJob(_request: recommender.GetJobRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetJobRequest, recommender.GetJobResponse>) {
    return this.calls.runWithoutCredentials(call, async () => unimplemented('GetJob'));
  }

  listJobs(_request: recommender.ListJobsRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.ListJobsRequest, recommender.ListJobsResponse>) {
    return this.calls.runWithoutCredentials(call, async () => unimplemented('ListJobs'));
  }

  stopJob(_request: recommender.StopJobRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.StopJobRequest, recommender.StopJobResponse>) {
    return this.calls.runWithoutCredentials(call, async () => unimplemented('StopJob'));
  }

  pauseJob(_request: recommender.PauseJobRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.PauseJobRequest, recommender.PauseJobResponse>) {
    return this.calls.runWithoutCredentials(call, async () => unimplemented('PauseJob'));
  }

  resumeJob(_request: recommender.ResumeJobRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.ResumeJobRequest, recommender.ResumeJobResponse>) {
    return this.calls.runWithoutCredentials(call, async () => unimplemented('ResumeJob'));
  }

  getClusterInfo(_request: recommender.GetClusterInfoRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetClusterInfoRequest, recommender.GetClusterInfoResponse>) {
    return this.calls.runWithoutCredentials(call, async () => unimplemented('GetClusterInfo'));
  }

  listClusterJobs(_request: recommender.ListClusterJobsRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.ListClusterJobsRequest, recommender.ListClusterJobsResponse>) {
    return this.calls.runWithoutCredentials(call, async () => unimplemented('ListClusterJobs'));
  }

}

function unimplemented(rpc: string): never {
  throw GrpcStatusError.unimplemented(`FlinkJobService.${rpc}`, NO_FLINK);
}
