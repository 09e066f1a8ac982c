import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError, type ErrorCode } from '../src/index';

/** Asserts that `action` fails (throws or rejects) with a DomainError of `code`. */
export async function expectDomainError(action: () => unknown, code: ErrorCode): Promise<DomainError> {
  let failure: unknown;
  try {
    await action();
  } catch (error) {
    failure = error;
  }
  expect(failure).toBeInstanceOf(DomainError);
  expect((failure as DomainError).code).toBe(code);
  return failure as DomainError;
}

/** Retries `probe` (which asserts) until it passes or `timeoutMs` elapses, then rethrows its last failure. */
export async function eventually<T>(probe: () => T | Promise<T>, timeoutMs = 5000, intervalMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await sleep(intervalMs);
  }
}

/** A promise with its resolve and reject exposed, to hold a handler until the test lets it go. */
export function gate<T = void>(): { promise: Promise<T>; open(value: T): void; fail(error: Error): void } {
  let open!: (value: T) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

export { sleep };
