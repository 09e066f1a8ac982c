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

/**
 * The etcd endpoints of the dev stack (`ETCD_ENDPOINTS`, which the jest setup loads from .stack/env like
 * every other server's), for suites that need a real etcd. Not part of BackendEndpoints: only the gRPC
 * app's registration uses etcd, and it parses its own variables. A missing etcd fails the suite: such
 * suites never skip.
 */
export function requireEtcd(): string[] {
  const endpoints = (processEnvironment()['ETCD_ENDPOINTS'] ?? '').split(',').map((endpoint) => endpoint.trim()).filter(Boolean);
  if (!endpoints.length) {
    throw new Error('etcd is not configured: start the dev stack (npm run stack:up, or node tools/dev-stack/stack.mjs up --only etcd) or set ETCD_ENDPOINTS');
  }
  return endpoints;
}
