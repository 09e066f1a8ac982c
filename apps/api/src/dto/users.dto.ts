import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import { upsertUserSchema } from '@lemo/domain';
import { metadataOut } from './common.dto';

export class UpsertUserDto extends createZodDto(upsertUserSchema) {}

export class UserDto extends createZodDto(
  z.object({ tenant_id: z.string(), user_id: z.string(), attributes: metadataOut, created_at: z.string(), updated_at: z.string() }),
) {}

const interaction = z.object({ item_id: z.string(), action_type: z.string(), timestamp: z.number() });

export class UserProfileDto extends createZodDto(
  z.object({
    tenant_id: z.string(),
    user_id: z.string(),
    total_events: z.number().int(),
    action_counts: z.record(z.string(), z.number()),
    preferred_categories: z.array(z.object({ category: z.string(), score: z.number() })),
    preferred_tags: z.array(z.object({ tag: z.string(), score: z.number() })),
    active_hours: z.array(z.number()),
    recent_items: z.array(interaction),
    first_seen_at: z.number().nullable(),
    last_seen_at: z.number().nullable(),
  }),
) {}

export class UserFeaturesDto extends createZodDto(
  z.object({
    user_id: z.string(),
    recent_items: z.array(interaction.extend({ scenario_id: z.string() })),
    recent_action_counts: z.record(z.string(), z.number()),
  }),
) {}

export class UserDeletedDto extends createZodDto(z.object({ deleted: z.boolean(), events_deleted: z.number().int() })) {}
