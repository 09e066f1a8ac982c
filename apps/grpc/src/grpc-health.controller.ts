import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Observable, from, map } from 'rxjs';
import { grpcHealth } from '@lemo/contracts';
import { HealthService } from '@lemo/runtime';
import { GrpcTransport } from './grpc-service.decorator';

const { SERVING, NOT_SERVING } = grpcHealth.HealthCheckResponse_ServingStatus;

/**
 * grpc.health.v1.Health: SERVING unless the platform cannot serve (see HealthService). Public, like
 * REST's /health: load balancers probe it without credentials. Method names are the generated
 * definition's keys.
 */
@Controller()
@GrpcTransport()
export class GrpcHealthController {
  constructor(private readonly health: HealthService) {}

  @GrpcMethod('Health', 'check')
  async check(): Promise<grpcHealth.HealthCheckResponse> {
    const report = await this.health.readiness();
    return { status: report.status === 'down' ? NOT_SERVING : SERVING };
  }

  /** Sends the current status once; a client wanting updates calls again (or uses Check). */
  @GrpcMethod('Health', 'watch')
  watch(): Observable<grpcHealth.HealthCheckResponse> {
    return from(this.health.readiness()).pipe(map((report) => ({ status: report.status === 'down' ? NOT_SERVING : SERVING })));
  }
}
