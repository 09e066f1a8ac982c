import { DomainError } from '@lemo/domain';

/** The message of anything thrown (errors may come from another realm, e.g. under Jest, where instanceof fails). */
export function messageOf(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
}

/**
 * Runs queue work whose only failure type is DomainError. What Bull and its
 * Redis connection throw is about reaching Redis, so it is UNAVAILABLE.
 */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) throw error;
    const mapped = new DomainError('UNAVAILABLE', `job queue: ${messageOf(error)}`);
    mapped.cause = error;
    throw mapped;
  }
}
