import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import { MAX_EVENTS_PER_BATCH } from '@lemo/application';
import { behaviorEventInputSchema, trackingSchemaBodySchema } from '@lemo/domain';
import { batchBodySchema, fieldIssueSchema } from './common.dto';

export class TrackEventDto extends createZodDto(behaviorEventInputSchema) {}
export class TrackBatchDto extends createZodDto(batchBodySchema('events', MAX_EVENTS_PER_BATCH, 'Events shaped like the track body')) {}

const eventResultSchema = z.object({
  index: z.number().int(),
  event_id: z.string().nullable(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  errors: z.array(fieldIssueSchema).optional(),
});
export class TrackEventResultDto extends createZodDto(z.object({ success: z.boolean(), event_id: z.string().nullable(), status: z.enum(['accepted', 'duplicate']) })) {}
export class TrackBatchResultDto extends createZodDto(
  z.object({
    success: z.boolean(),
    total: z.number().int(),
    accepted: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.number().int(),
    results: z.array(eventResultSchema),
  }),
) {}

export class TrackingSchemaBodyDto extends createZodDto(trackingSchemaBodySchema) {}
export class TrackingSchemaDto extends createZodDto(trackingSchemaBodySchema.extend({ tenant_id: z.string(), scenario_id: z.string(), updated_at: z.string() })) {}
