import type { OnApplicationShutdown } from '@nestjs/common';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { toDomainError } from './milvus-errors';
import { MilvusHealthIndicator } from './milvus-health.adapter';
import { DEFAULT_TIMEOUT_MS, defaultCollectionName, type MilvusStorageOptions } from './milvus-storage.options';
import { MilvusVectorIndex } from './milvus-vector-index.adapter';
import { ensureCollection } from './vector-collection';

/**
 * The SDK pings idle connections every 10 s. Servers with a strict ping policy
 * (Milvus Lite, gRPC's default server policy; Zilliz serverless) count pings
 * on a connection without calls as abuse and answer with GOAWAY, which grpc-js
 * logs on the console and recovers from by reconnecting. Pinging only while
 * calls are in flight (gRPC's own default) avoids that; a connection dropped
 * silently while idle is then noticed by the next call, which fails within
 * its deadline, rather than in advance.
 */
const KEEPALIVE_ONLY_DURING_CALLS = { 'grpc.keepalive_permit_without_calls': 0 };

/**
 * One Milvus client and the adapters built on it. `open` connects and creates
 * (or checks) the collection, its index and its loading before anything is
 * served; `close` releases the client's channels (on application shutdown
 * when provided by MilvusStorageModule).
 */
export class MilvusStorage implements OnApplicationShutdown {
  readonly vectors: MilvusVectorIndex;
  readonly health: MilvusHealthIndicator;
  private closing?: Promise<void>;

  private constructor(
    private readonly client: MilvusClient,
    readonly collection: string,
    options: MilvusStorageOptions,
  ) {
    this.vectors = new MilvusVectorIndex(client, collection, options.dimension, options.consistency);
    this.health = new MilvusHealthIndicator(client, collection);
  }

  /** Fails with UNAVAILABLE when Milvus cannot be reached, FAILED_PRECONDITION when the collection has another shape. */
  static async open(options: MilvusStorageOptions): Promise<MilvusStorage> {
    const collection = options.collection ?? defaultCollectionName(options.dimension);
    const client = new MilvusClient({
      address: options.address,
      username: options.username,
      password: options.password,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      // The SDK's logger is global and logs every call at debug level under NODE_ENV=test; failures reach callers as DomainErrors.
      logLevel: 'error',
      // Client heartbeats to the server: nothing here reads them.
      telemetry: { enabled: false },
      channelOptions: KEEPALIVE_ONLY_DURING_CALLS,
    });
    // The constructor starts connecting; a refused connection rejects this promise, which would crash the process if nobody listened.
    client.connectPromise.catch(() => undefined);
    try {
      await client.connectPromise.catch((error: unknown) => {
        throw toDomainError('connect', error);
      });
      await ensureCollection(client, collection, options.dimension);
    } catch (error) {
      await client.closeConnection().catch(() => undefined);
      throw error;
    }
    return new MilvusStorage(client, collection, options);
  }

  /** Idempotent; calls after it fail with UNAVAILABLE. */
  close(): Promise<void> {
    this.closing ??= this.client.closeConnection().then(
      () => undefined,
      () => undefined,
    );
    return this.closing;
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}
