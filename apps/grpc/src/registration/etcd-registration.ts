import type { BeforeApplicationShutdown } from '@nestjs/common';
import { Etcd3 } from 'etcd3';
import type { AppLogger } from '@lemo/platform-observability';
import type { RegistrationSettings } from './registration-settings';

/** The part of an etcd lease registration uses (etcd3's Lease). */
export interface RegistrationLease {
  put(key: string): { value(value: string): Promise<unknown> };
  revoke(): Promise<void>;
  on(event: 'lost', handler: (error: Error) => void): unknown;
}

/** The part of an etcd client registration uses (etcd3's Etcd3). */
export interface RegistrationStore {
  lease(ttlSeconds: number): RegistrationLease;
  close(): void;
}

/** Waits before registering again after a failure or a lost lease: doubling from the first to the last. */
const FIRST_RETRY_MS = 2_000;
const LAST_RETRY_MS = 30_000;
/** Shutdown waits this long at most for the revocation; past it the key expires with its lease. */
const REVOKE_TIMEOUT_MS = 2_000;

/**
 * Registers this instance under a key bound to a lease that etcd3 keeps alive: if the process dies,
 * the key expires with the lease (TTL); on shutdown it is revoked at once. A lost lease (etcd was
 * unreachable for longer than the TTL) is re-granted and the key written again. As a Nest provider it
 * deregisters before the server stops taking calls.
 */
export class EtcdServiceRegistration implements BeforeApplicationShutdown {
  private lease: RegistrationLease | null = null;
  private retry: NodeJS.Timeout | null = null;
  private retryMs = FIRST_RETRY_MS;
  private stopped = false;

  constructor(
    private readonly store: RegistrationStore,
    private readonly settings: RegistrationSettings,
    private readonly logger: AppLogger,
  ) {}

  static connect(settings: RegistrationSettings, logger: AppLogger): EtcdServiceRegistration {
    const client = new Etcd3({ hosts: settings.endpoints });
    const store: RegistrationStore = {
      lease: (ttlSeconds) => {
        const lease = client.lease(ttlSeconds);
        return {
          // etcd3's put builder is a thenable of its own; a plain promise keeps the seam simple.
          put: (key) => ({ value: async (value) => lease.put(key).value(value) }),
          revoke: () => lease.revoke(),
          on: (event, handler) => lease.on(event, handler),
        };
      },
      close: () => client.close(),
    };
    return new EtcdServiceRegistration(store, settings, logger);
  }

  /**
   * Registers in the background: an etcd that is down at start delays the registration (retried
   * every few seconds) but never the server, which already takes calls.
   */
  start(): void {
    this.register().catch((error: unknown) => {
      this.logger.warn({ err: error, key: this.settings.key }, 'etcd registration failed; retrying');
      this.scheduleRetry();
    });
  }

  async register(): Promise<void> {
    const lease = this.store.lease(this.settings.leaseTtlSeconds);
    this.lease = lease;
    lease.on('lost', (error) => {
      if (this.stopped || this.lease !== lease) return;
      this.logger.warn({ err: error, key: this.settings.key }, 'etcd registration lost; registering again');
      this.scheduleRetry();
    });
    // Kratos's ServiceInstance JSON, field order as Go's encoding/json writes it.
    const { id, name, version, metadata, endpoints } = this.settings.instance;
    const value = JSON.stringify({ id, name, version, metadata, endpoints });
    await lease.put(this.settings.key).value(value);
    this.retryMs = FIRST_RETRY_MS;
    this.logger.info({ key: this.settings.key, ttl_seconds: this.settings.leaseTtlSeconds }, 'registered in etcd');
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.deregister();
  }

  async deregister(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer from etcd within ${REVOKE_TIMEOUT_MS} ms`)), REVOKE_TIMEOUT_MS);
      });
      if (this.lease) await Promise.race([this.lease.revoke(), timeout]);
    } catch (error) {
      // The key still expires with its lease; shutting down must not wait on etcd.
      this.logger.warn({ err: error, key: this.settings.key }, 'etcd deregistration failed; the key expires with its lease');
    } finally {
      clearTimeout(timer);
      this.store.close();
    }
  }

  /** One pending retry at most: a failed grant both rejects the write and reports the lease lost. */
  private scheduleRetry(): void {
    if (this.retry || this.stopped) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      if (!this.stopped) this.start();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
  }
}
