import { Etcd3 } from 'etcd3';
import type { AppLogger } from '@lemo/platform-observability';
import { loadConfig } from '@lemo/platform-config';
import { requireEtcd, uniqueName } from '@lemo/platform-testing';
import { EtcdServiceRegistration } from './etcd-registration';
import { GRPC_SERVICE_NAME, registrationSettingsFrom } from './registration-settings';

// Against the real etcd of the dev stack: fails (never skips) when it is not running.
const endpoints = requireEtcd();
const silent = { info: jest.fn(), warn: jest.fn() } as unknown as AppLogger;
const config = loadConfig({ DATA_DIR: ':memory:', HOST: '127.0.0.1', GRPC_PORT: '10072' });
const TTL_SECONDS = 5; // the smallest the settings accept

describe('etcd registration against a real etcd', () => {
  const client = new Etcd3({ hosts: endpoints });
  // One prefix per run, so runs sharing the etcd never see each other's keys.
  const prefix = `/lemo-test/${uniqueName('registration')}`;

  afterAll(async () => {
    await client.delete().prefix(`${prefix}/`);
    client.close();
  });

  it("writes Kratos's key and ServiceInstance value, keeps the lease alive past its TTL, and removes the key on shutdown", async () => {
    const settings = registrationSettingsFrom({ ETCD_ENDPOINTS: endpoints.join(','), ETCD_KEY_PREFIX: prefix, ETCD_LEASE_TTL_SECONDS: String(TTL_SECONDS) }, config)!;
    const registration = EtcdServiceRegistration.connect(settings, silent);
    try {
      await registration.register();

      // Kratos: key `<namespace>/<service name>/<instance id>`; its GetService lists `<namespace>/<name>` by prefix.
      const key = `${prefix}/${GRPC_SERVICE_NAME}/127.0.0.1:10072`;
      expect(settings.key).toBe(key);
      const listed = await client.getAll().prefix(`${prefix}/${GRPC_SERVICE_NAME}`).strings();
      expect(Object.keys(listed)).toEqual([key]);
      // Kratos: the value is json.Marshal(registry.ServiceInstance).
      const instance: unknown = JSON.parse(listed[key]);
      expect(instance).toEqual({
        id: '127.0.0.1:10072',
        name: GRPC_SERVICE_NAME,
        version: 'v1',
        metadata: { protocol: 'grpc' },
        endpoints: ['grpc://127.0.0.1:10072'],
      });
      expect(Object.keys(instance as object)).toEqual(['id', 'name', 'version', 'metadata', 'endpoints']);

      // The key is bound to a lease with the configured TTL...
      const [kv] = (await client.get(key).exec()).kvs;
      expect(kv.lease).not.toBe('0');
      const granted = await client.leaseClient.leaseTimeToLive({ ID: kv.lease, keys: true });
      expect(Number(granted.grantedTTL)).toBe(TTL_SECONDS);
      // ...which etcd3 renews: the key outlives two TTLs on the same lease.
      await new Promise((resolve) => setTimeout(resolve, 2 * TTL_SECONDS * 1000 + 500));
      const [after] = (await client.get(key).exec()).kvs;
      expect(after?.lease).toBe(kv.lease);
      expect(after.value.toString()).toBe(listed[key]);
    } finally {
      await registration.beforeApplicationShutdown();
    }

    // Shutdown revokes the lease: the key is gone at once, not after the TTL.
    expect(await client.get(settings.key).string()).toBeNull();
    expect(await client.getAll().prefix(`${prefix}/`).keys()).toEqual([]);
  }, 30_000);

  it('a registration whose process stops without deregistering expires with its lease', async () => {
    const settings = registrationSettingsFrom(
      { ETCD_ENDPOINTS: endpoints.join(','), ETCD_KEY_PREFIX: prefix, ETCD_LEASE_TTL_SECONDS: String(TTL_SECONDS), ETCD_INSTANCE_ID: 'crashed' },
      config,
    )!;
    // A lease granted and never kept alive is what a killed process leaves behind.
    const lease = client.lease(TTL_SECONDS, { autoKeepAlive: false });
    const { id, name, version, metadata, endpoints: instanceEndpoints } = settings.instance;
    await lease.put(settings.key).value(JSON.stringify({ id, name, version, metadata, endpoints: instanceEndpoints }));
    expect(await client.get(`${prefix}/${GRPC_SERVICE_NAME}/crashed`).string()).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, (TTL_SECONDS + 2) * 1000));
    expect(await client.get(settings.key).string()).toBeNull();
    lease.release();
  }, 30_000);
});
