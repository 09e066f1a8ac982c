import { hostname } from 'node:os';
import { z } from 'zod';
import { ConfigError, type AppConfig } from '@lemo/platform-config';

/**
 * The etcd service registration of the gRPC app; absent (no registration) unless ETCD_ENDPOINTS is set.
 * Key and value follow Kratos's etcd registry (contrib/registry/etcd), so Kratos services discover this
 * one with their own `Watch`/`GetService`: key `<namespace>/<name>/<id>`, value the JSON of
 * `registry.ServiceInstance` ({id, name, version, metadata, endpoints}).
 */
export interface RegistrationSettings {
  endpoints: string[];
  /** The key: `<prefix>/<service name>/<instance id>`, one per instance. */
  key: string;
  /** host:port other services dial. */
  address: string;
  leaseTtlSeconds: number;
  /** The value written under the key: Kratos's `registry.ServiceInstance`. */
  instance: ServiceInstance;
}

/** Kratos's registry.ServiceInstance as it marshals to JSON (the value of the key). */
export interface ServiceInstance {
  id: string;
  name: string;
  version: string;
  metadata: Record<string, string>;
  /** `<scheme>://host:port`, e.g. `grpc://10.0.0.7:10072`. */
  endpoints: string[];
}

export const GRPC_SERVICE_NAME = 'lemo-service-recommender-grpc';

const environmentSchema = z.object({
  ETCD_ENDPOINTS: z
    .string()
    .transform((value) => value.split(',').map((endpoint) => endpoint.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https?:\/\/[^\s/]+$/, 'ETCD_ENDPOINTS: each endpoint is http(s)://host:port')).min(1, 'ETCD_ENDPOINTS: at least one endpoint'))
    .optional(),
  /** Kratos's default namespace is /microservices: Kratos clients find the service there unless told otherwise. */
  ETCD_KEY_PREFIX: z.string().regex(/^\/[^\s]*[^/\s]$/, 'ETCD_KEY_PREFIX: an absolute key path without a trailing slash').default('/microservices'),
  ETCD_LEASE_TTL_SECONDS: z.coerce.number().int().min(5).max(300).default(10),
  /** What to advertise when HOST binds every interface (0.0.0.0), e.g. the pod's DNS name and port. */
  ETCD_ADVERTISE_ADDRESS: z.string().regex(/^[^\s:]+:\d{1,5}$/, 'ETCD_ADVERTISE_ADDRESS: host:port').optional(),
  /** The instance id (last key segment); default the advertised address, unique per instance. */
  ETCD_INSTANCE_ID: z.string().regex(/^[^\s/]+$/, 'ETCD_INSTANCE_ID: no spaces or slashes').optional(),
  /** ServiceInstance.version. */
  SERVICE_VERSION: z.string().min(1).default('v1'),
});

/**
 * Reads the registration variables, all problems reported at once as a ConfigError like the rest of
 * the configuration. They belong in libs/platform/config (AppConfig) and move there with the next
 * config change; until then the gRPC app reads them itself, once, at start.
 */
export function registrationSettingsFrom(environment: Record<string, string | undefined>, config: AppConfig): RegistrationSettings | null {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  const settings = parsed.data;
  if (!settings.ETCD_ENDPOINTS) return null;
  const host = config.grpc.host === '0.0.0.0' || config.grpc.host === '::' ? hostname() : config.grpc.host;
  const address = settings.ETCD_ADVERTISE_ADDRESS ?? `${host}:${config.grpc.port}`;
  const id = settings.ETCD_INSTANCE_ID ?? address;
  return {
    endpoints: settings.ETCD_ENDPOINTS,
    key: `${settings.ETCD_KEY_PREFIX}/${GRPC_SERVICE_NAME}/${id}`,
    address,
    leaseTtlSeconds: settings.ETCD_LEASE_TTL_SECONDS,
    instance: { id, name: GRPC_SERVICE_NAME, version: settings.SERVICE_VERSION, metadata: { protocol: 'grpc' }, endpoints: [`grpc://${address}`] },
  };
}
