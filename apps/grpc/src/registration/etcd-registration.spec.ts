import { EventEmitter } from 'node:events';
import type { AppLogger } from '@lemo/platform-observability';
import { loadConfig } from '@lemo/platform-config';
import { EtcdServiceRegistration, type RegistrationLease, type RegistrationStore } from './etcd-registration';
import { registrationSettingsFrom } from './registration-settings';

class FakeLease extends EventEmitter implements RegistrationLease {
  readonly puts: Array<{ key: string; value: string }> = [];
  revoked = false;
  constructor(private readonly reachable: boolean) {
    super();
  }
  put(key: string) {
    return {
      value: async (value: string) => {
        if (!this.reachable) throw new Error('etcd unreachable');
        this.puts.push({ key, value });
      },
    };
  }
  async revoke() {
    this.revoked = true;
  }
}

class FakeStore implements RegistrationStore {
  readonly leases: Array<{ ttl: number; lease: FakeLease }> = [];
  closed = false;
  /** etcd answers from this lease on (0: at once). */
  constructor(private readonly reachableFromLease = 0) {}
  lease(ttl: number) {
    const lease = new FakeLease(this.leases.length >= this.reachableFromLease);
    this.leases.push({ ttl, lease });
    return lease;
  }
  close() {
    this.closed = true;
  }
}

const silent = { info: jest.fn(), warn: jest.fn() } as unknown as AppLogger;
const config = loadConfig({ DATA_DIR: ':memory:', GRPC_PORT: '10072' });

describe('etcd registration', () => {
  it('is off without ETCD_ENDPOINTS, and reports every bad variable at once', () => {
    expect(registrationSettingsFrom({}, config)).toBeNull();
    expect(() => registrationSettingsFrom({ ETCD_ENDPOINTS: 'etcd:2379', ETCD_LEASE_TTL_SECONDS: '1' }, config)).toThrow(/ETCD_ENDPOINTS[\s\S]*\n.*5/);
  });

  it('registers the advertised address under a leased key and revokes it on shutdown', async () => {
    const settings = registrationSettingsFrom({ ETCD_ENDPOINTS: 'http://etcd-0:2379, http://etcd-1:2379', ETCD_ADVERTISE_ADDRESS: 'grpc.lemo.svc:10072' }, config);
    expect(settings).toEqual({
      endpoints: ['http://etcd-0:2379', 'http://etcd-1:2379'],
      key: '/microservices/lemo-service-recommender-grpc/grpc.lemo.svc:10072',
      address: 'grpc.lemo.svc:10072',
      leaseTtlSeconds: 10,
      instance: { id: 'grpc.lemo.svc:10072', name: 'lemo-service-recommender-grpc', version: 'v1', metadata: { protocol: 'grpc' }, endpoints: ['grpc://grpc.lemo.svc:10072'] },
    });
    const store = new FakeStore();
    const registration = new EtcdServiceRegistration(store, settings!, silent);
    await registration.register();
    const [{ ttl, lease }] = store.leases;
    expect(ttl).toBe(10);
    expect(lease.puts[0].key).toBe(settings!.key);
    expect(JSON.parse(lease.puts[0].value)).toEqual(settings!.instance);
    await registration.deregister();
    expect(lease.revoked).toBe(true);
    expect(store.closed).toBe(true);
  });

  it('registers again with a new lease when etcd loses the lease', async () => {
    jest.useFakeTimers();
    try {
      const store = new FakeStore();
      const registration = new EtcdServiceRegistration(store, registrationSettingsFrom({ ETCD_ENDPOINTS: 'http://etcd:2379' }, config)!, silent);
      await registration.register();
      store.leases[0].lease.emit('lost', new Error('lease expired'));
      await jest.advanceTimersByTimeAsync(2_000);
      expect(store.leases).toHaveLength(2);
      expect(store.leases[1].lease.puts).toHaveLength(1);
      await registration.deregister();
      expect(store.leases[1].lease.revoked).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps trying in the background while etcd is unreachable at start', async () => {
    jest.useFakeTimers();
    try {
      const store = new FakeStore(2);
      const registration = new EtcdServiceRegistration(store, registrationSettingsFrom({ ETCD_ENDPOINTS: 'http://etcd:2379' }, config)!, silent);
      registration.start();
      await jest.advanceTimersByTimeAsync(2_000 + 4_000);
      expect(store.leases).toHaveLength(3);
      expect(store.leases[2].lease.puts).toHaveLength(1);
      await registration.deregister();
    } finally {
      jest.useRealTimers();
    }
  });
});
