import { Injectable } from '@nestjs/common';
import { ModelArtifactStore, ModelRepository, type JobRecord, type Model, type ModelVersion } from '@lemo/domain';

/** Artifacts of older versions beyond this many are deleted; their version records stay. */
const KEEP_ARTIFACTS = 3;

export interface TrainedVersion {
  tenantId: string;
  scenarioId: string;
  modelId: string;
  modelType: Model['model_type'];
  algorithm: string;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  /** The model's encoded artifact. */
  bytes: Uint8Array;
  deploy: boolean;
  /** The run that trained it (`trainingRunOf(job)`); a run records at most one version. */
  trainingRun?: string;
}

export interface RecordedVersion {
  version: ModelVersion;
  /** False when this training run had recorded its version before (a retried or recovered job): nothing was written. */
  created: boolean;
}

/** The artifact key of one version: `<kind>/<model_id>/<version>`, kind being the model type. */
export function artifactKey(modelType: Model['model_type'], modelId: string, version: string): string {
  return `${modelType}/${modelId}/${version}`;
}

/**
 * One training run of a job: the same across its retries and across a re-run
 * after its worker died (Bull keeps the job's id and creation time), but not
 * across runs of a job id used again later (training job ids repeat per
 * tenant, scenario and algorithm once the previous run finished).
 */
export function trainingRunOf(job: Pick<JobRecord, 'queue' | 'job_id' | 'created_at'>): string {
  return `${job.queue}/${job.job_id}@${job.created_at}`;
}

/**
 * Records what a training job produced: stores the artifact, appends a
 * version to the model document (creating it on the first run) and, when
 * asked, deploys it — the version that served until then stays available to
 * roll back to. Shared by every training job so that all models version alike.
 * Idempotent per training run: a run that recorded its version already gets
 * that version back, so a retry or a worker's crash never adds a second one.
 */
@Injectable()
export class ModelVersions {
  constructor(
    private readonly models: ModelRepository,
    private readonly artifacts: ModelArtifactStore,
  ) {}

  /** The version name the next training run of this model gets (v1, v2, ...). */
  async nextVersion(tenantId: string, modelId: string): Promise<string> {
    const existing = await this.models.get(tenantId, modelId);
    return `v${(existing?.versions.length ?? 0) + 1}`;
  }

  /** The version a training run recorded, if it got that far. */
  async recordedBy(tenantId: string, modelId: string, trainingRun: string): Promise<ModelVersion | null> {
    const model = await this.models.get(tenantId, modelId);
    return model?.versions.find((v) => v.training_run === trainingRun) ?? null;
  }

  /** A version's artifact bytes (null once pruned or never written). */
  async artifactOf(tenantId: string, version: ModelVersion): Promise<Uint8Array | null> {
    return version.artifact_uri ? this.artifacts.get(tenantId, version.artifact_uri) : null;
  }

  /**
   * Records the version, named `version` (see nextVersion). When the same
   * training run recorded one already, that one is returned and nothing is
   * written: neither the artifact (the stored one is the version's) nor the
   * model document.
   */
  async record(trained: TrainedVersion, version: string): Promise<RecordedVersion> {
    if (trained.trainingRun) {
      const recorded = await this.recordedBy(trained.tenantId, trained.modelId, trained.trainingRun);
      if (recorded) return { version: recorded, created: false };
    }
    const key = artifactKey(trained.modelType, trained.modelId, version);
    await this.artifacts.put(trained.tenantId, key, trained.bytes);
    const now = new Date().toISOString();
    const added: ModelVersion = {
      version,
      status: trained.deploy ? 'deployed' : 'trained',
      metrics: trained.metrics,
      artifact_uri: key,
      trained_at: now,
      created_at: now,
      ...(trained.trainingRun && { training_run: trained.trainingRun }),
    };
    const existing = await this.models.get(trained.tenantId, trained.modelId);
    if (!existing) {
      await this.models.create({
        tenant_id: trained.tenantId,
        model_id: trained.modelId,
        name: `${trained.algorithm} ${trained.modelType} model for ${trained.scenarioId}`,
        model_type: trained.modelType,
        algorithm: trained.algorithm,
        scenario_id: trained.scenarioId,
        description: `Trained by the ${trained.modelType} training job on the events of scenario '${trained.scenarioId}'.`,
        config: trained.params,
        status: added.status,
        versions: [added],
        deployed_version: trained.deploy ? version : null,
        created_at: now,
        updated_at: now,
      });
    } else {
      const versions = existing.versions.map((v) => (trained.deploy && v.status === 'deployed' ? { ...v, status: 'trained' as const } : v));
      await this.models.update({
        ...existing,
        config: trained.params,
        status: trained.deploy || existing.status === 'deployed' ? 'deployed' : 'trained',
        versions: [...versions, added],
        deployed_version: trained.deploy ? version : existing.deployed_version,
        updated_at: now,
      });
    }
    await this.pruneArtifacts(trained.tenantId, trained.modelType, trained.modelId);
    return { version: added, created: true };
  }

  /** Deletes the artifacts of all but the newest few versions, never the deployed one. */
  private async pruneArtifacts(tenantId: string, modelType: Model['model_type'], modelId: string): Promise<void> {
    const model = await this.models.get(tenantId, modelId);
    if (!model) return;
    const keep = new Set(model.versions.slice(-KEEP_ARTIFACTS).map((v) => v.artifact_uri));
    if (model.deployed_version) keep.add(artifactKey(modelType, modelId, model.deployed_version));
    for (const artifact of await this.artifacts.list(tenantId, `${modelType}/${modelId}/`)) {
      if (!keep.has(artifact.key)) await this.artifacts.delete(tenantId, artifact.key);
    }
  }
}
