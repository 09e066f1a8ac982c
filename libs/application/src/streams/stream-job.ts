import type { BusMessage } from '@lemo/domain';

export const STREAM_JOB_STATES = ['running', 'paused', 'stopped'] as const;
/** running: consuming. paused / stopped: not consuming, offsets kept, so `resume` continues where it left off (stopped is meant as "off until someone resumes it"). */
export type StreamJobState = (typeof STREAM_JOB_STATES)[number];

/** What every process (the streams app, the API answering job control) knows of a job without running it. */
export interface StreamJobDefinition {
  name: string;
  description: string;
  /** The bus consumer group: each event is handled once per group, whichever process holds its partition. */
  consumer_group: string;
}

/** The analytics copy keeps the group name it always had, so a deployment's committed offsets carry on. */
export const ANALYTICS_SINK_JOB: StreamJobDefinition = {
  name: 'analytics-sink',
  description: 'behaviour events → AnalyticsStore (ClickHouse user_behaviors), in batches, exactly once in effect',
  consumer_group: 'analytics-ingestion',
};

export const REALTIME_METRICS_JOB: StreamJobDefinition = {
  name: 'realtime-metrics',
  description: 'behaviour events → per-minute counts by scenario, experiment group and action (RealtimeCounters on Redis), for GET /analytics/realtime',
  consumer_group: 'realtime-metrics',
};

export const SERVING_FEATURES_JOB: StreamJobDefinition = {
  name: 'serving-features',
  description:
    'behaviour events → hot scores (sliding window, decay) and users\' recent interactions in the FeatureStore (Redis), read by the next recommendation; runs when SERVING_FEATURES_WRITER=streams',
  consumer_group: 'serving-features',
};

/** Every job of the streams app, in the order they are listed. */
export const STREAM_JOB_DEFINITIONS: readonly StreamJobDefinition[] = [ANALYTICS_SINK_JOB, REALTIME_METRICS_JOB, SERVING_FEATURES_JOB];

/** The jobs a deployment runs: serving-features only where the streams app writes the serving features (SERVING_FEATURES_WRITER=streams). */
export function deployedStreamJobs(servingFeaturesWriter: 'api' | 'streams'): readonly StreamJobDefinition[] {
  return servingFeaturesWriter === 'streams' ? STREAM_JOB_DEFINITIONS : STREAM_JOB_DEFINITIONS.filter((job) => job !== SERVING_FEATURES_JOB);
}

/**
 * One stream job: a handler of behaviour-event batches from the bus. `handle`
 * resolves only once the batch's effects are durable, because the bus commits
 * the batch's offsets when it resolves.
 */
export abstract class StreamJob {
  abstract readonly definition: StreamJobDefinition;

  abstract handle(messages: ReadonlyArray<BusMessage<unknown>>): Promise<void>;

  /** Rows held back for a batch (batching jobs). */
  get pendingRows(): number {
    return 0;
  }

  /** Writes what is held back now, and what arrives next at once (pause, stop, shutdown). A job that holds nothing back has nothing to do. */
  drain(): Promise<void> {
    return Promise.resolve();
  }

  /** Holds rows for a batch again (after a resume); nothing to do for a job that holds nothing back. */
  hold(): void {
    return undefined;
  }
}
