import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import { recommendRequestSchema } from '@lemo/application';
import { clientId } from '@lemo/domain';
import { metadataOut } from './common.dto';

export class RecommendRequestDto extends createZodDto(recommendRequestSchema) {}
export class ListQueryDto extends createZodDto(
  z.object({ scenario_id: clientId('scenario_id'), count: z.coerce.number().int().min(1).max(1000).default(10) }),
) {}

const recommendedItem = z.object({
  item_id: z.string(),
  score: z.number(),
  position: z.number().int(),
  strategy: z.string().describe('The recall strategy that contributed most'),
  reason: z.string().describe('Why this item, in words a user can read'),
  metadata: metadataOut,
});

export class RecommendResponseDto extends createZodDto(
  z.object({
    request_id: z.string().describe('Send it back with behaviour events to attribute them to this response'),
    scenario_id: z.string(),
    user_id: z.string().nullable(),
    items: z.array(recommendedItem),
    count: z.number().int(),
    next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null when the list is exhausted'),
    experiment_id: z.string().nullable(),
    variant_id: z.string().nullable(),
    from_cache: z.boolean(),
    debug: z
      .object({
        timings_ms: z.record(z.string(), z.number()),
        recall: z.object({ candidates: z.number().int(), per_strategy_ms: z.record(z.string(), z.number()), failures: z.record(z.string(), z.string()) }),
        ranker: z.string(),
        ranked_by: z
          .object({ ranker: z.string(), version: z.string().nullable(), served_by: z.enum(['in_process', 'model_server']), fallback: z.string().optional() })
          .describe('The model that actually ordered the list: a learned kind and its version, or rule; where it ran; why a fallback served'),
        excluded: z.number().int(),
      })
      .optional(),
  }),
) {}

export class ItemListDto extends createZodDto(
  z.object({ items: z.array(z.object({ item_id: z.string(), score: z.number(), reason: z.string(), metadata: metadataOut })), count: z.number().int() }),
) {}
