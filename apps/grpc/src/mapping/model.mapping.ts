import { MODEL_STATUSES, MODEL_TYPES, type JobRecord, type Model, type ModelStatus } from '@lemo/domain';
import { recommender } from '@lemo/contracts';
import { timestampOf } from './proto-values';

type ModelType = (typeof MODEL_TYPES)[number];

/** Wire enum values are the domain names upper-cased and prefixed (MODEL_TYPE_RECALL ↔ recall). */
const wireModelType = (type: ModelType): recommender.ModelType => recommender.ModelType[`MODEL_TYPE_${type.toUpperCase()}` as keyof typeof recommender.ModelType];
const wireModelStatus = (status: ModelStatus): recommender.ModelStatus => recommender.ModelStatus[`MODEL_STATUS_${status.toUpperCase()}` as keyof typeof recommender.ModelStatus];

export const modelTypeOf = (wire: recommender.ModelType): ModelType | undefined => MODEL_TYPES.find((type) => wireModelType(type) === wire);
export const modelStatusOf = (wire: recommender.ModelStatus): ModelStatus | undefined => MODEL_STATUSES.find((status) => wireModelStatus(status) === wire);

/**
 * A registry model as the contract's flat Model: `version`, `metrics`, `model_path` and `trained_at`
 * describe the deployed version, or the newest one when none is deployed. No deployment time is
 * recorded, so `deployed_at` stays unset.
 */
export function modelMessage(model: Model): recommender.Model {
  const shown = model.versions.find((version) => version.version === model.deployed_version) ?? model.versions[model.versions.length - 1];
  return recommender.Model.fromPartial({
    id: model.model_id,
    tenant_id: model.tenant_id,
    model_id: model.model_id,
    name: model.name,
    model_type: wireModelType(model.model_type),
    algorithm: model.algorithm,
    version: shown?.version ?? '',
    status: wireModelStatus(model.status),
    config: model.config,
    metrics: shown?.metrics ?? {},
    model_path: shown?.artifact_uri ?? '',
    created_at: timestampOf(model.created_at),
    updated_at: timestampOf(model.updated_at),
    trained_at: shown?.trained_at ? timestampOf(shown.trained_at) : undefined,
    description: model.description,
  });
}

/** A training job's state; `metrics` are the job's result (the trained version's figures) once it has one. */
export function trainingStatusMessage(job: JobRecord): recommender.TrainingStatus {
  const result = job.result as { metrics?: Record<string, unknown> } | null | undefined;
  return recommender.TrainingStatus.fromPartial({
    job_id: job.job_id,
    status: job.status,
    progress: Math.round(job.progress),
    metrics: result?.metrics ?? {},
    error_message: job.failed_reason ?? '',
    started_at: job.started_at ? new Date(job.started_at) : undefined,
    completed_at: job.finished_at ? new Date(job.finished_at) : undefined,
  });
}
