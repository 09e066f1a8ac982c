import { DomainError, type ModelArtifactStore, type ModelRepository } from '@lemo/domain';
import { LearnedRanker } from '../learned/learned-ranker';
import { isModelKind, type ModelKind } from '../learned/models/ranking-model';

/** One (tenant, scenario, ranker kind, version) a process holds in memory. */
export interface ServedRankerRef {
  tenantId: string;
  scenarioId: string;
  kind: ModelKind;
  version: string;
}

export interface ServedRankerInfo extends ServedRankerRef {
  deployed: boolean;
  loadedAt: Date;
  requestsServed: number;
  inFlight: number;
}

/** The use of one loaded version by one request: score with `ranker`, then `release()` exactly once. */
export interface RankerLease {
  readonly ranker: LearnedRanker;
  readonly ref: ServedRankerRef;
  release(): void;
}

/** What the pool reports as it works (metrics, logs); every hook is optional. */
export interface ServedRankersObserver {
  loaded?(ref: ServedRankerRef, millis: number): void;
  /** The deployed version of a model changed: `from` (null when none was served) → `to` (null when undeployed). */
  swapped?(ref: Omit<ServedRankerRef, 'version'>, from: string | null, to: string | null): void;
  disposed?(ref: ServedRankerRef): void;
  pollFailed?(error: unknown): void;
}

export interface ServedRankersOptions {
  /** How often the deployed version of every model served is re-read from the registry. 0 = only on load calls. */
  pollMs: number;
  /** Versions held at most; beyond it the least recently used go (never the deployed ones first). */
  maxLoaded: number;
  decode?: (bytes: Uint8Array) => Promise<LearnedRanker>;
  observer?: ServedRankersObserver;
}

interface Loaded extends ServedRankerRef {
  ranker: LearnedRanker;
  loadedAt: Date;
  lastUsed: number;
  requests: number;
  leases: number;
  /** Loaded by an explicit load call: stays when the deployed version moves on. */
  pinned: boolean;
  retired: boolean;
}

/** The version each model serves by default: what the registry said last. */
interface Slot {
  tenantId: string;
  scenarioId: string;
  kind: ModelKind;
  version: string | null;
}

const slotKey = (tenantId: string, scenarioId: string, kind: string) => `${tenantId}\u0000${scenarioId}\u0000${kind}`;
const versionKey = (ref: ServedRankerRef) => `${slotKey(ref.tenantId, ref.scenarioId, ref.kind)}\u0000${ref.version}`;

/** The model document of a scenario's ranker of one kind, as the ranker training job names it. */
export const servedRankerModelId = (scenarioId: string, kind: string) => `${scenarioId}.${kind}`;

/**
 * The learned rankers a model-server holds, by tenant, scenario, kind and
 * version, with hot-swap. A new deployment (seen by the poller or a load call)
 * is loaded in the background while the old version keeps answering; then the
 * slot's pointer moves in one synchronous step, so a request resolves either
 * version, never none. Requests take a lease on the version they resolved and
 * finish on it; a replaced version is disposed (its tf variables freed) once
 * its last lease is released. Loads are shared by concurrent requests.
 */
export class ServedRankers {
  private readonly loaded = new Map<string, Loaded>();
  private readonly slots = new Map<string, Slot>();
  private readonly loading = new Map<string, Promise<void>>();
  private readonly refreshing = new Map<string, Promise<void>>();
  /** Replaced versions still leased by requests in flight. */
  private readonly retiring = new Set<Loaded>();
  private timer: NodeJS.Timeout | null = null;
  private readonly decode: (bytes: Uint8Array) => Promise<LearnedRanker>;

  constructor(
    private readonly models: ModelRepository,
    private readonly artifacts: ModelArtifactStore,
    private readonly options: ServedRankersOptions,
  ) {
    this.decode = options.decode ?? ((bytes) => LearnedRanker.load(bytes));
  }

  /** Starts re-reading the deployed versions every pollMs. */
  start(): void {
    if (this.timer || this.options.pollMs <= 0) return;
    this.timer = setInterval(() => void this.refreshAll(), this.options.pollMs);
    this.timer.unref();
  }

  /** Stops polling and frees every version (in-flight leases still finish: disposal waits for them). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.loading.values(), ...this.refreshing.values()]);
    for (const entry of [...this.loaded.values()]) this.retire(entry);
    this.slots.clear();
  }

  /**
   * A lease on the version to score with: `version`, or the deployed one. Loads
   * it first when needed. NOT_FOUND for an unknown kind, model or version, or
   * when no version is deployed.
   */
  async acquire(tenantId: string, scenarioId: string, kind: string, version?: string): Promise<RankerLease> {
    const model = this.checkKind(scenarioId, kind);
    // A swap or an eviction may land while this request waits for a load: resolve again after each wait.
    for (let attempt = 0; attempt < 5; attempt++) {
      const wanted = version ?? (await this.deployedVersion(tenantId, scenarioId, model));
      const entry = this.loaded.get(versionKey({ tenantId, scenarioId, kind: model, version: wanted }));
      if (entry) return this.lease(entry);
      await this.ensureLoaded({ tenantId, scenarioId, kind: model, version: wanted }, false);
    }
    throw new DomainError('UNAVAILABLE', `model '${servedRankerModelId(scenarioId, kind)}' changed version during five loads in a row`);
  }

  /**
   * Loads `version` and keeps it until unloaded, or, without a version, reads
   * the deployed version from the registry now and swaps to it (the
   * load-call trigger of a hot-swap). Returns what is served.
   */
  async load(tenantId: string, scenarioId: string, kind: string, version?: string): Promise<ServedRankerInfo> {
    const model = this.checkKind(scenarioId, kind);
    let ref: ServedRankerRef;
    if (version) {
      ref = { tenantId, scenarioId, kind: model, version };
      await this.ensureLoaded(ref, true);
    } else {
      const key = slotKey(tenantId, scenarioId, model);
      const known = this.slots.has(key);
      if (!known) this.slots.set(key, { tenantId, scenarioId, kind: model, version: null });
      try {
        await this.refresh(key);
      } finally {
        // A model that is not there (or has nothing deployed) leaves no slot behind for the poller.
        if (!known && !this.slots.get(key)?.version) this.slots.delete(key);
      }
      const deployed = this.slots.get(key)?.version;
      if (!deployed) throw new DomainError('NOT_FOUND', `model '${servedRankerModelId(scenarioId, kind)}' has no deployed version`);
      ref = { tenantId, scenarioId, kind: model, version: deployed };
      await this.ensureLoaded(ref, false);
    }
    const entry = this.loaded.get(versionKey(ref));
    if (!entry) throw new DomainError('UNAVAILABLE', `version '${ref.version}' was unloaded while loading`);
    return this.info(entry);
  }

  /** Frees a loaded version (once its in-flight requests finish). False when it is not loaded here. */
  unload(tenantId: string, scenarioId: string, kind: string, version: string): boolean {
    const entry = isModelKind(kind) ? this.loaded.get(versionKey({ tenantId, scenarioId, kind, version })) : undefined;
    if (!entry) return false;
    this.retire(entry);
    return true;
  }

  /** Loaded versions, of one tenant or all. */
  list(tenantId?: string): ServedRankerInfo[] {
    return [...this.loaded.values()].filter((entry) => tenantId === undefined || entry.tenantId === tenantId).map((entry) => this.info(entry));
  }

  /** Versions held in memory, including replaced ones still finishing requests. */
  get size(): number {
    return this.loaded.size + this.retiring.size;
  }

  /** Re-reads the deployed version of every model served and swaps those that changed. */
  async refreshAll(): Promise<void> {
    // A registry outage keeps the loaded versions serving; the next poll tries again.
    await Promise.all([...this.slots.keys()].map((key) => this.refresh(key).catch((error: unknown) => this.options.observer?.pollFailed?.(error))));
  }

  private checkKind(scenarioId: string, kind: string): ModelKind {
    if (!isModelKind(kind)) throw DomainError.notFound('model', servedRankerModelId(scenarioId, kind));
    return kind;
  }

  private lease(entry: Loaded): RankerLease {
    entry.leases += 1;
    entry.requests += 1;
    entry.lastUsed = Date.now();
    let released = false;
    return {
      ranker: entry.ranker,
      ref: { tenantId: entry.tenantId, scenarioId: entry.scenarioId, kind: entry.kind, version: entry.version },
      release: () => {
        if (released) return;
        released = true;
        entry.leases -= 1;
        if (entry.retired && entry.leases === 0) this.dispose(entry);
      },
    };
  }

  /** The slot's version; the registry is read only the first time (the poller and load calls move it afterwards). */
  private async deployedVersion(tenantId: string, scenarioId: string, kind: ModelKind): Promise<string> {
    const key = slotKey(tenantId, scenarioId, kind);
    let slot = this.slots.get(key);
    if (!slot) {
      const doc = await this.models.get(tenantId, servedRankerModelId(scenarioId, kind));
      if (!doc) throw DomainError.notFound('model', servedRankerModelId(scenarioId, kind));
      // Another request may have created the slot meanwhile; the first one wins.
      slot = this.slots.get(key) ?? { tenantId, scenarioId, kind, version: doc.deployed_version };
      this.slots.set(key, slot);
    }
    if (!slot.version) throw new DomainError('NOT_FOUND', `model '${servedRankerModelId(scenarioId, kind)}' has no deployed version`);
    return slot.version;
  }

  private refresh(key: string): Promise<void> {
    const running = this.refreshing.get(key);
    if (running) return running;
    const work = this.swapIfChanged(key).finally(() => this.refreshing.delete(key));
    this.refreshing.set(key, work);
    return work;
  }

  /** Loads a newly deployed version beside the serving one, then moves the pointer in one step and retires the old one. */
  private async swapIfChanged(key: string): Promise<void> {
    const slot = this.slots.get(key);
    if (!slot) return;
    const { tenantId, scenarioId, kind } = slot;
    const doc = await this.models.get(tenantId, servedRankerModelId(scenarioId, kind));
    const next = doc?.deployed_version ?? null;
    // Unchanged: an unloaded or evicted deployed version is loaded again by the next request for it (or a load call), not by the poller.
    if (next === slot.version) return;
    if (next) await this.ensureLoaded({ tenantId, scenarioId, kind, version: next }, false);
    const previous = slot.version;
    slot.version = next;
    this.options.observer?.swapped?.({ tenantId, scenarioId, kind }, previous, next);
    const old = previous ? this.loaded.get(versionKey({ tenantId, scenarioId, kind, version: previous })) : undefined;
    if (old && !old.pinned) this.retire(old);
  }

  /** Loads a version unless it is loaded; concurrent callers share one load. */
  private async ensureLoaded(ref: ServedRankerRef, pin: boolean): Promise<void> {
    const key = versionKey(ref);
    const present = this.loaded.get(key);
    if (present) {
      present.pinned ||= pin;
      return;
    }
    let running = this.loading.get(key);
    if (!running) {
      running = this.loadVersion(ref).finally(() => this.loading.delete(key));
      this.loading.set(key, running);
    }
    await running;
    const entry = this.loaded.get(key);
    if (entry) entry.pinned ||= pin;
  }

  private async loadVersion(ref: ServedRankerRef): Promise<void> {
    const started = performance.now();
    const modelId = servedRankerModelId(ref.scenarioId, ref.kind);
    const doc = await this.models.get(ref.tenantId, modelId);
    if (!doc) throw DomainError.notFound('model', modelId);
    const uri = doc.versions.find((v) => v.version === ref.version)?.artifact_uri;
    if (!uri) throw new DomainError('NOT_FOUND', `version '${ref.version}' of model '${modelId}' not found`, [{ field: 'version', message: 'no such version' }]);
    const bytes = await this.artifacts.get(ref.tenantId, uri);
    if (!bytes) throw new DomainError('NOT_FOUND', `the artifact of version '${ref.version}' of model '${modelId}' is gone (older artifacts are pruned)`);
    const ranker = await this.decode(bytes);
    this.loaded.set(versionKey(ref), { ...ref, ranker, loadedAt: new Date(), lastUsed: Date.now(), requests: 0, leases: 0, pinned: false, retired: false });
    this.options.observer?.loaded?.(ref, performance.now() - started);
    this.evict(versionKey(ref));
  }

  /** Least recently used first, versions no slot serves before deployed ones; the newest load always stays. */
  private evict(newest: string): void {
    const excess = this.loaded.size - this.options.maxLoaded;
    if (excess <= 0) return;
    const serving = new Set([...this.slots.values()].filter((slot) => slot.version).map((slot) => versionKey({ ...slot, version: slot.version as string })));
    const candidates = [...this.loaded.entries()]
      .filter(([key]) => key !== newest)
      .sort(([keyA, a], [keyB, b]) => Number(serving.has(keyA)) - Number(serving.has(keyB)) || a.lastUsed - b.lastUsed)
      .slice(0, excess);
    for (const [, entry] of candidates) this.retire(entry);
  }

  private retire(entry: Loaded): void {
    if (entry.retired) return;
    entry.retired = true;
    this.loaded.delete(versionKey(entry));
    if (entry.leases === 0) this.dispose(entry);
    else this.retiring.add(entry);
  }

  private dispose(entry: Loaded): void {
    this.retiring.delete(entry);
    entry.ranker.dispose();
    this.options.observer?.disposed?.({ tenantId: entry.tenantId, scenarioId: entry.scenarioId, kind: entry.kind, version: entry.version });
  }

  private info(entry: Loaded): ServedRankerInfo {
    const slot = this.slots.get(slotKey(entry.tenantId, entry.scenarioId, entry.kind));
    return {
      tenantId: entry.tenantId,
      scenarioId: entry.scenarioId,
      kind: entry.kind,
      version: entry.version,
      deployed: slot?.version === entry.version,
      loadedAt: entry.loadedAt,
      requestsServed: entry.requests,
      inFlight: entry.leases,
    };
  }
}
