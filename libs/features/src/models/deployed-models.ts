import type { ModelArtifactStore, ModelRepository } from '@lemo/domain';

/** The deployed version of a model, decoded and in memory. */
export interface DeployedModel<T> {
  version: string;
  value: T;
}

interface Entry<T> {
  checkedAt: number;
  /** The deployed version last seen, null when none is deployed. */
  version: string | null;
  loaded: Promise<DeployedModel<T> | null>;
}

export interface DeployedModelsOptions<T> {
  /** Turns an artifact's bytes into the in-memory model. */
  decode(bytes: Uint8Array): T | Promise<T>;
  /** Frees what a model holds outside the JS heap (tf tensors) once it is replaced or evicted. */
  release?(value: T): void;
  /** How long the deployed version is trusted before the model document is read again: how fast a deploy takes effect. */
  recheckMs?: number;
  /** Loaded models kept per process (least recently used go first): bounds memory on many-tenant deployments. */
  maxLoaded?: number;
}

/**
 * The deployed version of each tenant's model, loaded from the
 * ModelArtifactStore once per version and kept in memory. The model document
 * is re-read every `recheckMs`; a newly deployed version is loaded by the
 * first request that sees it (callers' time budgets bound the wait), and an
 * undeploy stops serving at once. A failed load is forgotten, so the next
 * request tries again.
 */
export class DeployedModels<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly recheckMs: number;
  private readonly maxLoaded: number;

  constructor(
    private readonly models: ModelRepository,
    private readonly artifacts: ModelArtifactStore,
    private readonly options: DeployedModelsOptions<T>,
  ) {
    this.recheckMs = options.recheckMs ?? 5_000;
    this.maxLoaded = options.maxLoaded ?? 32;
  }

  async get(tenantId: string, modelId: string, now = Date.now()): Promise<DeployedModel<T> | null> {
    const key = `${tenantId}\u0000${modelId}`;
    const entry = this.entries.get(key);
    if (entry) {
      // Re-inserted: Map order is the LRU order.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    if (entry && now - entry.checkedAt < this.recheckMs) return entry.loaded;
    const doc = await this.models.get(tenantId, modelId);
    const version = doc?.deployed_version ?? null;
    if (entry && entry.version === version) {
      entry.checkedAt = now;
      return entry.loaded;
    }
    const artifactUri = doc?.versions.find((v) => v.version === version)?.artifact_uri ?? null;
    const loaded = version && artifactUri ? this.load(tenantId, version, artifactUri) : Promise.resolve(null);
    loaded.catch(() => this.entries.get(key)?.loaded === loaded && this.entries.delete(key));
    if (entry) this.release(entry);
    this.entries.set(key, { checkedAt: now, version, loaded });
    this.evict();
    return loaded;
  }

  private async load(tenantId: string, version: string, artifactUri: string): Promise<DeployedModel<T> | null> {
    const bytes = await this.artifacts.get(tenantId, artifactUri);
    return bytes ? { version, value: await this.options.decode(bytes) } : null;
  }

  private release(entry: Entry<T>): void {
    const { release } = this.options;
    if (release) void entry.loaded.then((model) => model && release(model.value), () => undefined);
  }

  private evict(): void {
    while (this.entries.size > this.maxLoaded) {
      const [oldest, entry] = this.entries.entries().next().value ?? [];
      if (oldest === undefined || entry === undefined) return;
      this.entries.delete(oldest);
      this.release(entry);
    }
  }
}
