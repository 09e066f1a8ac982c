import { Injectable } from '@nestjs/common';
import { ModelArtifactStore, ModelRepository } from '@lemo/domain';
import { decodeTrainedModel, servableAlgorithm, type ImplicitModel } from '@lemo/features';

/** A deployed model version in memory, with its id spaces. */
export interface LoadedRecallModel {
  version: string;
  model: ImplicitModel;
  itemIds: readonly string[];
  itemIndex: ReadonlyMap<string, number>;
  userIndex: ReadonlyMap<string, number>;
  /** Scratch for one user's scores; scoring is synchronous, so requests never interleave on it. */
  scores: Float32Array;
}

interface Entry {
  checkedAt: number;
  /** The deployed version last seen, null when none is deployed. */
  version: string | null;
  loaded: Promise<LoadedRecallModel | null>;
}

/** How long the deployed version is trusted before the model document is read again: how fast a deploy takes effect. */
const RECHECK_MS = 5_000;
/** Loaded models kept per process (least recently used go first): bounds memory on many-tenant deployments. */
const MAX_LOADED = 32;

/**
 * The deployed version of each (tenant, scenario, algorithm) recall model,
 * loaded from the ModelArtifactStore once per version and kept in memory.
 * The model document is re-read every RECHECK_MS; a newly deployed version
 * is loaded by the first request that sees it (an undeploy stops serving).
 */
@Injectable()
export class TrainedRecallModels {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly models: ModelRepository,
    private readonly artifacts: ModelArtifactStore,
  ) {}

  async get(tenantId: string, scenarioId: string, algorithm: string, now = Date.now()): Promise<LoadedRecallModel | null> {
    const key = `${tenantId}\u0000${scenarioId}\u0000${algorithm}`;
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    if (entry && now - entry.checkedAt < RECHECK_MS) return entry.loaded;
    const modelId = `${scenarioId}.${algorithm}`;
    const doc = await this.models.get(tenantId, modelId);
    const version = doc?.deployed_version ?? null;
    if (entry && entry.version === version) {
      entry.checkedAt = now;
      return entry.loaded;
    }
    const artifactUri = doc?.versions.find((v) => v.version === version)?.artifact_uri ?? null;
    const loaded = version && artifactUri ? this.load(tenantId, algorithm, version, artifactUri) : Promise.resolve(null);
    // A failed load is forgotten, so the next request tries again instead of failing until the next re-check.
    loaded.catch(() => this.entries.get(key)?.loaded === loaded && this.entries.delete(key));
    this.entries.set(key, { checkedAt: now, version, loaded });
    this.evict();
    // Requests wait for a newly deployed version (the strategy's time budget bounds how long); the next ones find it loaded.
    return loaded;
  }

  private async load(tenantId: string, algorithm: string, version: string, artifactUri: string): Promise<LoadedRecallModel | null> {
    const servable = servableAlgorithm(algorithm);
    const bytes = await this.artifacts.get(tenantId, artifactUri);
    if (!servable || !bytes) return null;
    const { header, model } = decodeTrainedModel(bytes);
    const decoded = servable.codec.decode(model);
    return {
      version,
      model: decoded,
      itemIds: header.item_ids,
      itemIndex: new Map(header.item_ids.map((id, i) => [id, i])),
      userIndex: new Map(header.user_ids.map((id, u) => [id, u])),
      scores: new Float32Array(decoded.items),
    };
  }

  private evict(): void {
    while (this.entries.size > MAX_LOADED) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) return;
      this.entries.delete(oldest);
    }
  }
}
