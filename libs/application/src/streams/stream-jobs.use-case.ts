import { Injectable } from '@nestjs/common';
import { DomainError } from '@lemo/domain';
import { AppConfig } from '@lemo/platform-config';
import { StreamJobControl, type StreamJobReport } from './stream-job-control';
import { deployedStreamJobs, type StreamJobDefinition, type StreamJobState } from './stream-job';

export interface StreamJobStatus extends StreamJobDefinition {
  /** What operators asked for; every streams process follows it within a few seconds. */
  desired_state: StreamJobState;
  /**
   * What a running process last reported (state, counts, last batch time),
   * null when no process reported within the last 30 s (no streams process runs).
   * Counts are that process's since its start. Consumer lag is not measured yet.
   */
  report: StreamJobReport | null;
}

/**
 * Lists the streams app's jobs and changes their desired state. Pause and
 * stop make every process close the job's subscription after writing what it
 * held: nothing is committed past what was written, so `resume` continues
 * from the committed offsets without losing or repeating an event's effect.
 */
@Injectable()
export class StreamJobsUseCase {
  private readonly definitions: readonly StreamJobDefinition[];

  constructor(
    private readonly control: StreamJobControl,
    config: AppConfig,
  ) {
    this.definitions = deployedStreamJobs(config.background.servingFeaturesWriter);
  }

  list(): Promise<StreamJobStatus[]> {
    return Promise.all(this.definitions.map((definition) => this.statusOf(definition)));
  }

  status(name: string): Promise<StreamJobStatus> {
    return this.statusOf(this.definition(name));
  }

  pause(name: string): Promise<StreamJobStatus> {
    return this.set(name, 'paused');
  }

  resume(name: string): Promise<StreamJobStatus> {
    return this.set(name, 'running');
  }

  stop(name: string): Promise<StreamJobStatus> {
    return this.set(name, 'stopped');
  }

  private async set(name: string, state: StreamJobState): Promise<StreamJobStatus> {
    const definition = this.definition(name);
    await this.control.setDesired(name, state);
    return this.statusOf(definition);
  }

  private definition(name: string): StreamJobDefinition {
    const found = this.definitions.find((definition) => definition.name === name);
    if (!found) throw new DomainError('NOT_FOUND', `stream job '${name}' not found (known: ${this.definitions.map((d) => d.name).join(', ')})`);
    return found;
  }

  private async statusOf(definition: StreamJobDefinition): Promise<StreamJobStatus> {
    const [desired, report] = await Promise.all([this.control.desired(definition.name), this.control.lastReport(definition.name)]);
    return { ...definition, desired_state: desired, report };
  }
}
