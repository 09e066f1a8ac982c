import { z } from 'zod';
import { MAX_PAGE_SIZE, type PageRequest } from '@lemo/domain';

/** Query-string paging shared by every list route: `?page=1&page_size=20`. */
export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
});

export const toPageRequest = (query: { page: number; page_size: number }): PageRequest => ({ page: query.page, pageSize: query.page_size });
