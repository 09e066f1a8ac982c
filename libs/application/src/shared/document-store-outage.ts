import { Injectable } from '@nestjs/common';
import { DomainError } from '@lemo/domain';

/** A failure meaning "the backend cannot be reached right now", as every adapter reports it. */
export const isUnavailable = (error: unknown): boolean => error instanceof DomainError && error.code === 'UNAVAILABLE';

/**
 * After the document store failed as unreachable, callers that hold a usable
 * copy (scenario configs, item documents) or have a fallback serve from it
 * without asking the store again for this long. Well above the 5 s a probe of
 * an unreachable MongoDB costs, so one request in a while pays it, not every
 * one; once the store is back, fresh reads resume within this time.
 */
const HOLD_MS = 15_000;

/**
 * Remembers, per process, that the document store (MongoDB on the cluster
 * profile) was just found unreachable. Why: a call to an unreachable MongoDB
 * waits for server selection (5 s) before it fails, so without this every
 * degraded request would pay that wait once per read. One probe per hold
 * period finds out when the store is back.
 */
@Injectable()
export class DocumentStoreOutage {
  private until = 0;

  /** True while the store is presumed unreachable: use the copy or the fallback without asking. */
  get suspected(): boolean {
    return Date.now() < this.until;
  }

  /** Records the failure if it is an outage, and says whether it was (so the caller may fall back). */
  observe(error: unknown): boolean {
    if (!isUnavailable(error)) return false;
    this.until = Date.now() + HOLD_MS;
    return true;
  }
}
