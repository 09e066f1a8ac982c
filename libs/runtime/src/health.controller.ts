import { Controller, Get, Header, HttpStatus, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@lemo/platform-auth';
import { Metrics } from '@lemo/platform-observability';
import { HealthService } from './health.service';

/** Liveness, readiness and Prometheus metrics: the same paths on every app. */
@ApiExcludeController()
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly metrics: Metrics,
  ) {}

  /** Readiness: 503 only when the platform cannot serve (its document store is down); a degraded backend still answers 200. */
  @Get('health')
  async ready(@Res() response: Response): Promise<void> {
    const report = await this.health.readiness();
    response.status(report.status === 'down' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK).json(report);
  }

  @Get('health/ready')
  readyAlias(@Res() response: Response): Promise<void> {
    return this.ready(response);
  }

  /** Liveness: the process answers; dependencies are not consulted. */
  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
