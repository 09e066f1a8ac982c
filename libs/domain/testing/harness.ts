/** A port under test and how to release what backs it (database, connections, timers). */
export interface PortHarness<T> {
  port: T;
  close(): Promise<void>;
}

/** Builds a fresh, empty harness; called once per test. */
export type HarnessFactory<T> = () => Promise<PortHarness<T>>;

/**
 * Gives every test of the enclosing describe its own fresh harness and closes
 * it afterwards. Returns an accessor for the port of the running test.
 */
export function useHarness<T>(create: HarnessFactory<T>): () => T {
  let harness: PortHarness<T> | undefined;
  beforeEach(async () => {
    harness = await create();
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });
  return () => {
    if (!harness) throw new Error('the harness is only available inside a test');
    return harness.port;
  };
}
