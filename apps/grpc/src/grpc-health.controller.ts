import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Observable, from, map } from 'rxjs';
import { HealthService } from '@lemo/runtime';

const SERVING = 1;
const NOT_SERVING = 2;

/** grpc.health.v1.Health: SERVING unless the platform cannot serve (see HealthService). */
@Controller()
export class GrpcHealthController {
  constructor(private readonly health: HealthService) {}

  @GrpcMethod('Health', 'Check')
  async check(): Promise<{ status: number }> {
    const report = await this.health.readiness();
    return { status: report.status === 'down' ? NOT_SERVING : SERVING };
  }

  /** Sends the current status once; streaming updates come with the full gRPC API. */
  @GrpcMethod('Health', 'Watch')
  watch(): Observable<{ status: number }> {
    return from(this.health.readiness()).pipe(map((report) => ({ status: report.status === 'down' ? NOT_SERVING : SERVING })));
  }
}
