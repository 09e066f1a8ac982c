import { Controller } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { StreamJobsUseCase } from '@lemo/application';
import { recommender } from '@lemo/contracts';
import { GrpcCalls } from '../call/grpc-calls';
import { GrpcStatusError } from '../call/grpc-status-error';
import { GrpcService, type UnaryHandlers } from '../grpc-service.decorator';
import { idOf } from '../mapping/proto-values';
import { flinkJobOf, pageOfJobs, statusFilterOf } from '../mapping/stream-job.mapping';

/**
 * FlinkJobService on the platform's own stream jobs (apps/streams: the ClickHouse sink, the real-time
 * metrics), which replaced the Flink jobs: GetJob, ListJobs, StopJob, PauseJob and ResumeJob map onto
 * StreamJobsUseCase. The jobs serve every tenant, so these need the platform admin key. Templates,
 * submissions and the Flink cluster have no counterpart: those RPCs answer UNIMPLEMENTED saying so.
 */
const NO_FLINK = 'this platform runs no Flink cluster; its stream jobs are built in (apps/streams): list, get, stop, pause and resume them with GetJob, ListJobs, StopJob, PauseJob and ResumeJob';

@Controller()
@GrpcService('FlinkJobService', recommender.FlinkJobServiceService)
export class FlinkJobGrpcController implements UnaryHandlers<recommender.FlinkJobServiceServer> {
  constructor(
    private readonly calls: GrpcCalls,
    private readonly streamJobs: StreamJobsUseCase,
  ) {}

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

  getJob(request: recommender.GetJobRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetJobRequest, recommender.GetJobResponse>) {
    return this.calls.runAsPlatformAdmin(call, async () => ({ job: flinkJobOf(await this.streamJobs.status(idOf(request.job_id, 'job_id'))) }));
  }

  listJobs(request: recommender.ListJobsRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.ListJobsRequest, recommender.ListJobsResponse>) {
    return this.calls.runAsPlatformAdmin(call, async () => {
      const wanted = statusFilterOf(request.status);
      const jobs = (await this.streamJobs.list()).map(flinkJobOf).filter((job) => wanted === undefined || job.status === wanted);
      return pageOfJobs(jobs, request.page, request.page_size);
    });
  }

  /** Every streams process writes what it holds and closes the job's subscription; nothing is committed past what was written. */
  stopJob(request: recommender.StopJobRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.StopJobRequest, recommender.StopJobResponse>) {
    return this.calls.runAsPlatformAdmin(call, async () => ({ job: flinkJobOf(await this.streamJobs.stop(idOf(request.job_id, 'job_id'))) }));
  }

  pauseJob(request: recommender.PauseJobRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.PauseJobRequest, recommender.PauseJobResponse>) {
    return this.calls.runAsPlatformAdmin(call, async () => ({ job: flinkJobOf(await this.streamJobs.pause(idOf(request.job_id, 'job_id'))) }));
  }

  /** Continues from the committed offsets (`savepoint_path` has no meaning here: the bus keeps the position). */
  resumeJob(request: recommender.ResumeJobRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.ResumeJobRequest, recommender.ResumeJobResponse>) {
    return this.calls.runAsPlatformAdmin(call, async () => ({ job: flinkJobOf(await this.streamJobs.resume(idOf(request.job_id, 'job_id'))) }));
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
