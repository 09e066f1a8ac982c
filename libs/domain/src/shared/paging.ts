export interface PageRequest {
  /** 1-based page number. */
  page: number;
  pageSize: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const MAX_PAGE_SIZE = 1000;

export function pageInfo<T>(page: Page<T>) {
  const totalPages = Math.max(1, Math.ceil(page.total / page.pageSize));
  return {
    page: page.page,
    page_size: page.pageSize,
    total: page.total,
    total_pages: totalPages,
    has_next: page.page < totalPages,
    has_prev: page.page > 1,
  };
}

export const offsetOf = (req: PageRequest): number => (req.page - 1) * req.pageSize;
