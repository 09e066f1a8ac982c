import { loadConfig, processEnvironment, type BackendEndpoints } from '@lemo/platform-config';

/**
 * The endpoint of a real server for a suite that needs it. A missing server
 * fails the suite with what to do: such suites never skip.
 */
export function requireBackend<K extends keyof BackendEndpoints>(name: K): NonNullable<BackendEndpoints[K]> {
  // Only the endpoints are wanted: read as the embedded profile, so a suite running with PROFILE=cluster
  // need not supply what the cluster profile demands of a whole app (e.g. ADMIN_API_KEY) to find a server.
  const endpoint = loadConfig({ ...processEnvironment(), PROFILE: 'embedded' }).backends[name];
  if (!endpoint) {
    throw new Error(`${name} is not configured: start the dev stack (npm run stack:up) or set its variables (see README, Configuration)`);
  }
  return endpoint as NonNullable<BackendEndpoints[K]>;
}

/** A name unique to one test run, so suites sharing a server never see each other's data. */
export const uniqueName = (prefix: string): string => `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
