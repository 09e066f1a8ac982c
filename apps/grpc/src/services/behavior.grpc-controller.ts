import { Controller } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { TrackBehaviorsUseCase, type EventResult } from '@lemo/application';
import { DomainError, isDomainError } from '@lemo/domain';
import { HealthService } from '@lemo/runtime';
import { recommender } from '@lemo/contracts';
import type { Caller } from '../call/caller';
import { GrpcCalls } from '../call/grpc-calls';
import { GrpcService, type UnaryHandlers } from '../grpc-service.decorator';
import { behaviorEventInput } from '../mapping/behavior.mapping';
import { BehaviorStats } from './behavior-stats';

/** lemo.recommender.v1.BehaviorService on TrackBehaviorsUseCase (REST's /behaviors/track and /track/batch). */
@Controller()
@GrpcService('BehaviorService', recommender.BehaviorServiceService)
export class BehaviorGrpcController implements UnaryHandlers<recommender.BehaviorServiceServer> {
  constructor(
    private readonly calls: GrpcCalls,
    private readonly tracking: TrackBehaviorsUseCase,
    private readonly stats: BehaviorStats,
    private readonly health: HealthService,
  ) {}

  /** Idempotent by event_id: a retried event is stored once and answered "duplicate". */
  trackEvent(request: recommender.TrackEventRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.TrackEventRequest, recommender.TrackEventResponse>) {
    return this.calls.run(call, 'write', async (caller) => {
      if (!request.event) throw DomainError.invalid('event', 'is required');
      const event = eventFor(caller, request.event, 'event');
      const result = await this.counted(1, () => this.tracking.trackOne(caller.tenantId, event).catch(prefixIssues('event')));
      this.stats.recordResults([result]);
      return { success: true, event_id: result.event_id ?? '', message: result.status };
    });
  }

  /** Valid events are stored even when others are rejected; each rejection is reported as `events.<index>.<field>: message`. */
  trackBatch(request: recommender.TrackBatchRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.TrackBatchRequest, recommender.TrackBatchResponse>) {
    return this.calls.run(call, 'write', async (caller) => {
      if (request.events.length === 0) throw DomainError.invalid('events', 'at least one event is required');
      const events = request.events.map((event, index) => eventFor(caller, event, `events.${index}`));
      const results = await this.counted(events.length, () => this.tracking.track(caller.tenantId, events));
      this.stats.recordResults(results);
      const rejected = results.filter((result) => result.status === 'rejected');
      return {
        success: rejected.length === 0,
        total: results.length,
        succeeded: results.length - rejected.length,
        failed: rejected.length,
        errors: rejected.flatMap(describeRejection),
      };
    });
  }

  getStats(_request: recommender.GetStatsRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetStatsRequest, recommender.GetStatsResponse>) {
    return this.calls.run(call, 'read', async () => this.stats.snapshot());
  }

  /** Readiness of the platform; kafka_available is false where the event bus is not Kafka (embedded profile). */
  healthCheck(_request: recommender.HealthCheckRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.HealthCheckRequest, recommender.HealthCheckResponse>) {
    return this.calls.run(call, 'read', async () => {
      const report = await this.health.readiness();
      return { status: report.status, kafka_available: report.checks.some((check) => check.name === 'kafka' && check.ok), stats: this.stats.snapshot() };
    });
  }

  /** Runs a tracking call and counts its events as rejected or failed when the whole call fails. */
  private async counted<T>(events: number, track: () => Promise<T>): Promise<T> {
    try {
      return await track();
    } catch (error) {
      if (isDomainError(error) && (error.code === 'VALIDATION_FAILED' || error.code === 'NOT_FOUND')) this.stats.recordRejected(events);
      else this.stats.recordFailure(events);
      throw error;
    }
  }
}

/** The event as the use case reads it, once its tenant_id is checked against the caller's. */
function eventFor(caller: Caller, event: recommender.BehaviorEvent, path: string): Record<string, unknown> {
  caller.tenant(event.tenant_id, `${path}.tenant_id`);
  return behaviorEventInput(event);
}

/** TrackEvent's issues name fields inside the event; on the wire they sit under `event`. */
function prefixIssues(prefix: string) {
  return (error: unknown): never => {
    if (isDomainError(error) && error.code === 'VALIDATION_FAILED') {
      throw DomainError.invalidMany(error.issues.map((issue) => ({ ...issue, field: issue.field === '(body)' ? prefix : `${prefix}.${issue.field}` })));
    }
    throw error;
  };
}

/** Every issue of a rejected event as `events.<index>.<field>: message` (the use case leaves some unprefixed). */
function describeRejection(result: EventResult): string[] {
  const prefix = `events.${result.index}`;
  const fieldPath = (field: string) => (field === '(body)' ? prefix : field.startsWith(`${prefix}.`) ? field : `${prefix}.${field}`);
  const issues = result.errors ?? [];
  return issues.length ? issues.map((issue) => `${fieldPath(issue.field)}: ${issue.message}`) : [`${prefix}: rejected`];
}
