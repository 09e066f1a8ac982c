import { hostname } from 'node:os';
import { z } from 'zod';
import { ConfigError, type AppConfig } from '@lemo/platform-config';

/** The etcd service registration of the gRPC app; absent (no registration) unless ETCD_ENDPOINTS is set. */
export interface RegistrationSettings {
  endpoints: string[];
  /** The key: `<prefix>/<service>/<address>`, one per instance. */
  key: string;
  /** host:port other services dial. */
  address: string;
  leaseTtlSeconds: number;
}

export const GRPC_SERVICE_NAME = 'lemo-service-recommender-grpc';

const environmentSchema = z.object({
  ETCD_ENDPOINTS: z
    .string()
    .transform((value) => value.split(',').map((endpoint) => endpoint.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https?:\/\/[^\s/]+$/, 'ETCD_ENDPOINTS: each endpoint is http(s)://host:port')).min(1, 'ETCD_ENDPOINTS: at least one endpoint'))
    .optional(),
  ETCD_KEY_PREFIX: z.string().regex(/^\/[^\s]*[^/\s]$/, 'ETCD_KEY_PREFIX: an absolute key path without a trailing slash').default('/services'),
  ETCD_LEASE_TTL_SECONDS: z.coerce.number().int().min(5).max(300).default(10),
  /** What to advertise when HOST binds every interface (0.0.0.0), e.g. the pod's DNS name and port. */
  ETCD_ADVERTISE_ADDRESS: z.string().regex(/^[^\s:]+:\d{1,5}$/, 'ETCD_ADVERTISE_ADDRESS: host:port').optional(),
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
  return { endpoints: settings.ETCD_ENDPOINTS, key: `${settings.ETCD_KEY_PREFIX}/${GRPC_SERVICE_NAME}/${address}`, address, leaseTtlSeconds: settings.ETCD_LEASE_TTL_SECONDS };
}
