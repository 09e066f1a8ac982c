import { DomainError } from '@lemo/domain';

/** A page cursor points into a served list stored under its request id. */
export interface PageCursor {
  requestId: string;
  offset: number;
}

export const encodeCursor = (cursor: PageCursor): string => Buffer.from(JSON.stringify([cursor.requestId, cursor.offset])).toString('base64url');

export function decodeCursor(raw: string): PageCursor {
  try {
    const [requestId, offset] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown[];
    if (typeof requestId === 'string' && Number.isInteger(offset) && (offset as number) >= 0) return { requestId, offset: offset as number };
  } catch {
    // fall through to the error below
  }
  throw DomainError.invalid('cursor', 'not a cursor returned by this API');
}
