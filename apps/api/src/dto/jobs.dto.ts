import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import { listJobsQuerySchema, triggerJobSchema } from '@lemo/application';
import { JOB_STATUSES, QUEUE_NAMES } from '@lemo/domain';

export class ListJobsQueryDto extends createZodDto(listJobsQuerySchema) {}
export class TriggerJobDto extends createZodDto(triggerJobSchema) {}

export const jobSchema = z.object({
  queue: z.enum(QUEUE_NAMES),
  job_id: z.string(),
  name: z.string(),
  /** The job's payload; always carries the caller's tenant_id. */
  data: z.object({ tenant_id: z.string() }).catchall(z.unknown()),
  status: z.enum(JOB_STATUSES),
  progress: z.number(),
  stage: z.string(),
  attempts_made: z.number().int(),
  max_attempts: z.number().int(),
  result: z.unknown(),
  failed_reason: z.string().nullable(),
  /** Unix milliseconds. */
  created_at: z.number(),
  started_at: z.number().nullable(),
  finished_at: z.number().nullable(),
});
export class JobDto extends createZodDto(jobSchema) {}
export class JobListDto extends createZodDto(z.object({ items: z.array(jobSchema) })) {}
export class JobQueueParamDto extends createZodDto(z.object({ queue: z.enum(QUEUE_NAMES), job_id: z.string().min(1).max(512) }).strict()) {}
