import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import { ITEM_STATUSES, MAX_BATCH_ITEMS, createItemSchema, updateItemSchema } from '@lemo/domain';
import { batchBodySchema, metadataOut, pagedSchema } from './common.dto';

export class CreateItemDto extends createZodDto(createItemSchema) {}
/** PATCH merges metadata, PUT replaces it: the verb says which, so the body has no mode. */
export class UpdateItemDto extends createZodDto(updateItemSchema.omit({ mode: true })) {}
export class BatchItemsDto extends createZodDto(batchBodySchema('items', MAX_BATCH_ITEMS, 'Items shaped like the create body')) {}
export class BatchDeleteItemsDto extends createZodDto(
  z.object({ item_ids: z.array(z.string().min(1)).min(1).max(MAX_BATCH_ITEMS), hard: z.boolean().default(false) }).strict(),
) {}
export class ItemListQueryDto extends createZodDto(
  z.object({
    status: z.enum(ITEM_STATUSES).optional(),
    category: z.string().max(128).optional(),
    page: z.coerce.number().int().min(1).default(1),
    page_size: z.coerce.number().int().min(1).max(1000).default(20),
  }),
) {}
export class ItemSearchQueryDto extends createZodDto(
  z.object({
    q: z.string().min(1, 'q must not be empty').max(256),
    page: z.coerce.number().int().min(1).default(1),
    page_size: z.coerce.number().int().min(1).max(1000).default(20),
  }),
) {}
export class DeleteItemQueryDto extends createZodDto(z.object({ hard: z.enum(['true', 'false']).default('false') })) {}
export class CountQueryDto extends createZodDto(z.object({ count: z.coerce.number().int().min(1).max(1000).default(10) })) {}

export const itemSchema = z.object({
  tenant_id: z.string(),
  scenario_id: z.string(),
  item_id: z.string(),
  status: z.enum(ITEM_STATUSES),
  metadata: metadataOut,
  embedding: z.array(z.number()).optional(),
  created_at: z.string(),
  updated_at: z.string(),
});
export class ItemDto extends createZodDto(itemSchema) {}
export class ItemPageDto extends createZodDto(pagedSchema(itemSchema)) {}
export class BatchItemsResultDto extends createZodDto(
  z.object({
    total: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    results: z.array(
      z.object({ index: z.number().int(), item_id: z.string().nullable(), status: z.enum(['created', 'updated', 'failed']), error: z.string().optional() }),
    ),
  }),
) {}
export class BatchDeleteResultDto extends createZodDto(z.object({ requested: z.number().int(), deleted: z.number().int() })) {}
