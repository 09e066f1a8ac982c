import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import { deployModelSchema, pageQuerySchema, trainRecallModelSchema } from '@lemo/application';
import { JOB_STATUSES, MODEL_STATUSES, MODEL_TYPES, QUEUE_NAMES } from '@lemo/domain';
import { pagedSchema } from './common.dto';

export class TrainModelDto extends createZodDto(trainRecallModelSchema) {}
export class DeployModelDto extends createZodDto(deployModelSchema) {}
export class ModelListQueryDto extends createZodDto(
  pageQuerySchema.extend({ model_type: z.enum(MODEL_TYPES).optional(), status: z.enum(MODEL_STATUSES).optional() }).strict(),
) {}

const modelVersionSchema = z.object({
  version: z.string(),
  status: z.enum(MODEL_STATUSES),
  metrics: z.record(z.string(), z.number()),
  artifact_uri: z.string().nullable(),
  trained_at: z.string().nullable(),
  created_at: z.string(),
  /** The training job run that recorded this version (queue/job_id@created_at); absent on versions recorded otherwise. */
  training_run: z.string().optional(),
});

export const modelSchema = z.object({
  tenant_id: z.string(),
  model_id: z.string(),
  name: z.string(),
  model_type: z.enum(MODEL_TYPES),
  algorithm: z.string(),
  scenario_id: z.string().nullable(),
  description: z.string(),
  config: z.record(z.string(), z.unknown()),
  status: z.enum(MODEL_STATUSES),
  versions: z.array(modelVersionSchema),
  deployed_version: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export class ModelDto extends createZodDto(modelSchema) {}
export class ModelPageDto extends createZodDto(pagedSchema(modelSchema)) {}

export class TrainingJobDto extends createZodDto(
  z.object({
    queue: z.enum(QUEUE_NAMES),
    job_id: z.string(),
    name: z.string(),
    data: z.object({ tenant_id: z.string(), scenario_id: z.string(), algorithm: z.string(), params: z.record(z.string(), z.unknown()), deploy: z.boolean() }),
    status: z.enum(JOB_STATUSES),
    progress: z.number(),
    stage: z.string(),
    attempts_made: z.number().int(),
    max_attempts: z.number().int(),
    result: z.unknown(),
    failed_reason: z.string().nullable(),
    created_at: z.number(),
    started_at: z.number().nullable(),
    finished_at: z.number().nullable(),
  }),
) {}
