import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  DomainError,
  EventBus,
  EventStore,
  JobQueue,
  behaviorEventInputSchema,
  checkAgainstTrackingSchema,
  fieldIssues,
  topicFor,
  type BehaviorEvent,
  type FieldIssue,
  type Scenario,
} from '@lemo/domain';
import { AppConfig } from '@lemo/platform-config';
import { JOBS, type ItemSimilarityJob } from '../jobs/job-names';
import { RecommendationCache } from '../recommend/recommendation-cache';
import { ScenarioLookup } from '../scenarios/scenario-lookup';
import { ServingFeatureWrites, servingFeatureChanges } from './serving-features';
import { ServingUpdates, type ServingWrite } from './serving-updates';
import { TrackingSchemasUseCase } from './tracking-schemas.use-case';
import { withRequestId, withRequestIdHeader } from '../shared/request-trace';

export const MAX_EVENTS_PER_BATCH = 1000;
/** Item similarity is updated this long after the first new event, so a burst (or a bulk load) shares one incremental update. */
const SIMILARITY_DEBOUNCE_MS = 30_000;

export interface EventResult {
  index: number;
  event_id: string | null;
  status: 'accepted' | 'duplicate' | 'rejected';
  errors?: FieldIssue[];
}

@Injectable()
export class TrackBehaviorsUseCase {
  constructor(
    private readonly events: EventStore,
    private readonly bus: EventBus,
    private readonly jobs: JobQueue,
    private readonly scenarios: ScenarioLookup,
    private readonly schemas: TrackingSchemasUseCase,
    private readonly recommendations: RecommendationCache,
    private readonly config: AppConfig,
    private readonly serving: ServingUpdates,
    private readonly featureWrites: ServingFeatureWrites,
  ) {}

  /** Validates without storing: the same checks track runs. */
  async validate(tenantId: string, rawEvents: unknown[]): Promise<EventResult[]> {
    const { results } = await this.check(tenantId, rawEvents);
    return results;
  }

  async trackOne(tenantId: string, rawEvent: unknown): Promise<EventResult> {
    const [result] = await this.track(tenantId, [rawEvent]);
    if (result.status === 'rejected') {
      const issues = result.errors ?? [];
      // An unknown scenario is a missing resource (404), like on every other route.
      const missingScenario = issues.find((issue) => issue.field === 'scenario_id' && issue.message.endsWith('not found'));
      if (missingScenario) throw new DomainError('NOT_FOUND', missingScenario.message);
      throw DomainError.invalidMany(issues);
    }
    return result;
  }

  /**
   * Stores the valid events (idempotent by event_id), publishes them for the
   * stream jobs, then makes them visible to serving at once: hot scores, the
   * users' recent items, and their cached recommendations. Each event's outcome
   * is reported by index. Once stored, an event is accepted: a serving store
   * that is unreachable delays its effects (ServingUpdates) rather than failing
   * the request.
   */
  async track(tenantId: string, rawEvents: unknown[]): Promise<EventResult[]> {
    if (rawEvents.length > MAX_EVENTS_PER_BATCH) throw DomainError.invalid('events', `at most ${MAX_EVENTS_PER_BATCH} events per batch`);
    const { results, accepted, scenarios } = await this.check(tenantId, rawEvents);
    if (accepted.length === 0) return results;
    await this.attributeToExperiments(tenantId, accepted);

    const { inserted } = await this.events.append(accepted);
    const insertedIds = new Set(inserted);
    const fresh = accepted.filter((event) => insertedIds.has(event.event_id));
    for (const result of results) {
      if (result.status === 'accepted' && !insertedIds.has(result.event_id ?? '')) result.status = 'duplicate';
    }
    if (fresh.length) {
      // The bus comes first: it is durable on its own (Kafka's outbox), so a serving store's outage never holds it up.
      await this.publish(tenantId, fresh);
      await this.serving.apply(this.servingWrites(tenantId, fresh, scenarios));
    }
    return results;
  }

  /**
   * An event that names the request_id of a served recommendation but no
   * experiment gets that response's experiment and group, so a client only has
   * to echo the request id for its clicks to count in the experiment's results.
   * Unknown or expired request ids leave the event as it is.
   */
  private async attributeToExperiments(tenantId: string, events: BehaviorEvent[]): Promise<void> {
    const unattributed = events.filter((event) => event.request_id && !event.experiment_id);
    const requestIds = [...new Set(unattributed.map((event) => event.request_id as string))];
    if (requestIds.length === 0) return;
    const served = new Map<string, { experiment_id: string; experiment_group: string }>();
    await Promise.all(
      requestIds.map(async (requestId) => {
        const found = await this.recommendations.get<{ experiment_id: string; experiment_group: string }>(this.recommendations.attributionKey(tenantId, requestId)).catch(() => null);
        if (found) served.set(requestId, found);
      }),
    );
    for (const event of unattributed) {
      const experiment = served.get(event.request_id as string);
      if (experiment) Object.assign(event, { experiment_id: experiment.experiment_id, experiment_group: experiment.experiment_group });
    }
  }

  private async check(tenantId: string, rawEvents: unknown[]) {
    const receivedAt = Date.now();
    const results: EventResult[] = [];
    const accepted: BehaviorEvent[] = [];
    const scenarios = new Map<string, Scenario | null>();
    const seenIds = new Set<string>();
    for (const [index, raw] of rawEvents.entries()) {
      const parsed = behaviorEventInputSchema.safeParse(raw);
      if (!parsed.success) {
        results.push({ index, event_id: null, status: 'rejected', errors: fieldIssues(parsed.error, rawEvents.length > 1 ? `events.${index}` : '') });
        continue;
      }
      const input = parsed.data;
      if (!scenarios.has(input.scenario_id)) scenarios.set(input.scenario_id, await this.scenarios.find(tenantId, input.scenario_id));
      const issues: FieldIssue[] = scenarios.get(input.scenario_id) ? [] : [{ field: 'scenario_id', message: `scenario '${input.scenario_id}' not found` }];
      const schema = issues.length ? null : await this.schemas.find(tenantId, input.scenario_id);
      if (schema) {
        const schemaIssues = checkAgainstTrackingSchema(schema, input);
        if (schema.mode === 'reject') issues.push(...schemaIssues);
      }
      const eventId = input.event_id ?? randomUUID();
      if (seenIds.has(eventId)) issues.push({ field: 'event_id', message: 'duplicate event_id within this batch' });
      if (issues.length) {
        results.push({ index, event_id: input.event_id ?? null, status: 'rejected', errors: issues });
        continue;
      }
      seenIds.add(eventId);
      accepted.push({ ...input, tenant_id: tenantId, event_id: eventId, timestamp: input.timestamp ?? receivedAt, received_at: receivedAt });
      results.push({ index, event_id: eventId, status: 'accepted' });
    }
    return { results, accepted, scenarios };
  }

  private publish(tenantId: string, events: BehaviorEvent[]): Promise<void> {
    const topic = topicFor(this.config.topics.behaviors, tenantId);
    const headers = withRequestIdHeader({ event_type: 'behavior' });
    return this.bus.publish(events.map((event) => ({ topic, key: event.user_id, value: event, headers })));
  }

  /**
   * The serving side effects of new events, as writes that can run later if
   * their store is down now: the real-time features (unless the streams app
   * writes them from the bus, SERVING_FEATURES_WRITER=streams) and a debounced
   * item-similarity update per scenario.
   */
  private servingWrites(tenantId: string, events: BehaviorEvent[], scenarios: Map<string, Scenario | null>): ServingWrite[] {
    const writes: ServingWrite[] =
      this.config.background.servingFeaturesWriter === 'api'
        ? this.featureWrites.of(tenantId, servingFeatureChanges(tenantId, events, (id) => scenarios.get(id), Date.now()))
        : [];
    for (const scenarioId of new Set(events.map((e) => e.scenario_id))) {
      const job: ItemSimilarityJob = { tenant_id: tenantId, scenario_id: scenarioId, mode: 'incremental' };
      const enqueue = () =>
        this.jobs.enqueue(JOBS.itemSimilarity.queue, JOBS.itemSimilarity.name, withRequestId(job), {
          jobId: `similarity:${tenantId}:${scenarioId}`,
          delayMs: SIMILARITY_DEBOUNCE_MS,
          attempts: 3,
          backoffMs: 5_000,
        });
      writes.push({ what: `similarity rebuild of ${tenantId}/${scenarioId}`, run: async () => void (await enqueue()) });
    }
    return writes;
  }
}
