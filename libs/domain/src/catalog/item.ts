import { z } from 'zod';
import { clientId, metadataSchema, type Metadata } from '../shared/identifiers';

export const ITEM_STATUSES = ['active', 'inactive', 'deleted'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/**
 * A catalogue item of one scenario. `metadata` is free-form; the engine reads
 * the well-known keys below (category, tags, title, description, publish_time…).
 */
export interface Item {
  tenant_id: string;
  scenario_id: string;
  item_id: string;
  status: ItemStatus;
  metadata: Metadata;
  /** Client-supplied embedding, if any; otherwise the engine builds one. */
  embedding?: number[];
  created_at: string;
  updated_at: string;
}

/** Well-known metadata keys and their expected types (checked, not required). */
export const itemMetadataSchema = metadataSchema.superRefine((metadata, ctx) => {
  const expectString = (key: string) => {
    if (metadata[key] !== undefined && typeof metadata[key] !== 'string') ctx.addIssue({ code: 'custom', path: [key], message: `${key} must be a string` });
  };
  ['category', 'title', 'description', 'author'].forEach(expectString);
  if (metadata.tags !== undefined && !(Array.isArray(metadata.tags) && metadata.tags.every((t) => typeof t === 'string'))) {
    ctx.addIssue({ code: 'custom', path: ['tags'], message: 'tags must be an array of strings' });
  }
  if (metadata.price !== undefined && (typeof metadata.price !== 'number' || metadata.price < 0)) {
    ctx.addIssue({ code: 'custom', path: ['price'], message: 'price must be a non-negative number' });
  }
  const publish = metadata.publish_time;
  if (publish !== undefined && !(typeof publish === 'number' || (typeof publish === 'string' && !Number.isNaN(Date.parse(publish))))) {
    ctx.addIssue({ code: 'custom', path: ['publish_time'], message: 'publish_time must be unix milliseconds or an ISO-8601 date' });
  }
});

export const embeddingSchema = z.array(z.number().finite()).min(2).max(4096);

export const createItemSchema = z
  .object({
    item_id: clientId('item_id'),
    status: z.enum(['active', 'inactive']).default('active'),
    metadata: itemMetadataSchema.default({}),
    embedding: embeddingSchema.optional(),
  })
  .strict();
export type CreateItemInput = z.infer<typeof createItemSchema>;

export const MAX_BATCH_ITEMS = 1000;

export const updateItemSchema = z
  .object({
    /** merge: metadata keys are merged into the stored ones; replace: metadata is replaced whole. */
    mode: z.enum(['merge', 'replace']).default('merge'),
    status: z.enum(['active', 'inactive']).optional(),
    metadata: itemMetadataSchema.optional(),
    embedding: embeddingSchema.optional(),
  })
  .strict();
export type UpdateItemInput = z.infer<typeof updateItemSchema>;

/** Publish time in unix ms: metadata.publish_time when present, else creation time. */
export function itemPublishedAt(item: Pick<Item, 'metadata' | 'created_at'>): number {
  const raw = item.metadata.publish_time;
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') {
    const parsed = Date.parse(raw);
    if (!Number.isNaN(parsed)) return parsed;
  }
  return Date.parse(item.created_at);
}

export function itemCategory(item: Pick<Item, 'metadata'>, field = 'category'): string | undefined {
  const value = item.metadata[field];
  return typeof value === 'string' ? value : undefined;
}

export function itemTags(item: Pick<Item, 'metadata'>): string[] {
  const tags = item.metadata.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

/** The text the content embedding and search read: title, description and tags. */
export function itemText(item: Pick<Item, 'metadata'>): string {
  const { title, description } = item.metadata;
  return [typeof title === 'string' ? title : '', typeof description === 'string' ? description : '', itemTags(item).join(' ')].join(' ').trim();
}
