import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import { pageQuerySchema } from '@lemo/application';

export class PageQueryDto extends createZodDto(pageQuerySchema) {}

export const pageInfoSchema = z.object({
  page: z.number().int(),
  page_size: z.number().int(),
  total: z.number().int(),
  total_pages: z.number().int(),
  has_next: z.boolean(),
  has_prev: z.boolean(),
});

export const pagedSchema = <T extends z.ZodType>(itemSchema: T) => z.object({ items: z.array(itemSchema), page_info: pageInfoSchema });

export const fieldIssueSchema = z.object({ field: z.string(), message: z.string() });

export const deletedSchema = z.object({ deleted: z.boolean() });
export class DeletedDto extends createZodDto(deletedSchema) {}

export const metadataOut = z.record(z.string(), z.unknown());

/**
 * A batch body `{ [field]: [...] }` whose elements the use case validates one
 * by one, so one bad element fails alone and is reported by index.
 */
export const batchBodySchema = (field: string, max: number, elementDescription: string) =>
  z
    .object({
      [field]: z
        .array(z.unknown())
        .min(1, `${field} must not be empty`)
        .max(max, `at most ${max} ${field} per batch`)
        .describe(elementDescription),
    })
    .strict();
