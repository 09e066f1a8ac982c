import { Injectable } from '@nestjs/common';
import { EventStore, FeatureStore, type ActionWeights, type ScoredId } from '@lemo/domain';
import { randomUUID } from 'node:crypto';
import { TrainingPacer, yieldToEventLoop } from '../models/training-pacer';
import { IdInterner } from '../numeric/id-interner';
import { readArrivals } from './arrival-reader';
import { CosineNeighbours } from './cosine-neighbours';
import { updateNeighbourRows } from './incremental-neighbours';
import { NeighbourRows } from './neighbour-rows';
import { readWatermark, writeWatermark, type NeighbourWatermark } from './neighbour-watermark';
import { defaultRowMargin, settingsKey, type SimilaritySettings, type SimilarityState } from './similarity-state';
import { TimedLog } from './timed-log';
import { buildUserItemMatrix } from './user-item-matrix';

export interface ItemSimilarityOptions {
  /** Neighbours kept per item. */
  topK?: number;
  /** Added to the cosine denominator; larger values distrust pairs with little support. */
  shrinkage?: number;
  /** Only a user's most recent distinct items count (bounds cost, favours current tastes). */
  maxHistoryPerUser?: number;
  /** Only events at or after this unix ms time. */
  since?: number;
  /** The scenario's realtime.action_weights overrides; contract defaults otherwise. */
  actionWeights?: ActionWeights;
  /**
   * Entries kept in memory per item beyond topK (default max(8, topK / 2)), so
   * that an update can lower or drop some of a list's entries and still know
   * its exact top K; a list left short is rescored. More: fewer rescored lists,
   * more memory (NeighbourRows).
   */
  rowMargin?: number;
  /** update(): a full build instead when the new positive interactions exceed this share of the built ones. */
  maxDeltaShare?: number;
}

export type SimilarityBuildReason = 'requested' | 'no watermark' | 'no state in this process' | 'built by another build' | 'settings changed' | 'large delta';

export interface ItemSimilarityResult {
  mode: 'full' | 'incremental';
  /** Why a full build ran. */
  reason?: SimilarityBuildReason;
  /** Items whose neighbour list was (re)written. */
  items: number;
  /** Neighbour entries written in total. */
  pairs: number;
  /** Positive interactions the lists are built from. */
  interactions: number;
  /** Incremental only: items rescored in full, and other rows patched or (short of K known entries) rescored. */
  touched?: number;
  patched?: number;
  recomputed?: number;
  ms: number;
}

export type ProgressCallback = (pct: number, stage: string) => Promise<void> | void;

export const DEFAULT_ITEM_SIMILARITY_OPTIONS = { topK: 50, shrinkage: 5, maxHistoryPerUser: 200, maxDeltaShare: 0.2 } as const;

/** Items computed or written between two awaits: keeps the event loop responsive and writes batched. */
const WRITE_CHUNK = 512;
const SCAN_SHARE = 50;
/** States kept per process (least recently built dropped first); ~50 MB each at 1M interactions. */
const MAX_STATES = 4;

/**
 * The item-to-item neighbour lists behind item_cf recall. Keeps positive
 * implicit feedback (negative and zero-weight actions are ignored), computes
 * shrunk item-item cosine on integer ids and typed arrays, and replaces each
 * item's list in the FeatureStore. Items absent from the events read keep
 * their previous list.
 *
 * `build` reads the scenario's events from the first; `update` reads only
 * those appended since the watermark of the last build and patches the lists
 * (incremental-neighbours), giving exactly what a full build would. It falls
 * back to a full build when the watermark is missing, when this process does
 * not hold the state of the build that wrote it (restart, another worker, other
 * settings), or when the increment is large. Events deleted since (GDPR) stay
 * in the lists until the next full build: the hourly one bounds that drift.
 * Builds of one scenario run one at a time in a process.
 */
@Injectable()
export class ItemSimilarityBuilder {
  private readonly states = new Map<string, SimilarityState>();
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    private readonly events: EventStore,
    private readonly features: FeatureStore,
  ) {}

  async build(tenantId: string, scenarioId: string, options: ItemSimilarityOptions = {}, onProgress?: ProgressCallback): Promise<ItemSimilarityResult> {
    const settings = validSettings(options);
    return this.exclusive(tenantId, scenarioId, () => this.fullBuild(tenantId, scenarioId, settings, 'requested', onProgress));
  }

  async update(tenantId: string, scenarioId: string, options: ItemSimilarityOptions = {}, onProgress?: ProgressCallback): Promise<ItemSimilarityResult> {
    const settings = validSettings(options);
    const maxDeltaShare = options.maxDeltaShare ?? DEFAULT_ITEM_SIMILARITY_OPTIONS.maxDeltaShare;
    if (!(maxDeltaShare >= 0)) throw new RangeError(`maxDeltaShare must be >= 0, got ${maxDeltaShare}`);
    return this.exclusive(tenantId, scenarioId, () => this.incremental(tenantId, scenarioId, settings, maxDeltaShare, onProgress));
  }

  private async incremental(
    tenantId: string,
    scenarioId: string,
    settings: SimilaritySettings,
    maxDeltaShare: number,
    onProgress?: ProgressCallback,
  ): Promise<ItemSimilarityResult> {
    const started = performance.now();
    const key = stateKey(tenantId, scenarioId);
    const state = this.states.get(key);
    const watermark = await readWatermark(this.features, tenantId, scenarioId);
    if (!watermark) return this.fullBuild(tenantId, scenarioId, settings, 'no watermark', onProgress);
    if (!state) return this.fullBuild(tenantId, scenarioId, settings, 'no state in this process', onProgress);
    // The lists in the store were written by another build (another worker, or a full build that failed part-way).
    if (state.buildId !== watermark.build_id) return this.fullBuild(tenantId, scenarioId, settings, 'built by another build', onProgress);
    if (state.settings !== settingsKey(settings)) return this.fullBuild(tenantId, scenarioId, settings, 'settings changed', onProgress);

    // Taken out while it changes: a failure part-way leaves no half-updated state behind (the next update is a full build).
    this.states.delete(key);
    await onProgress?.(0, 'read');
    const read = await readArrivals(this.events, tenantId, scenarioId, state.users, state.items, {
      after: state.cursor,
      since: settings.since,
      actionWeights: settings.actionWeights,
      maxInteractions: Math.floor(maxDeltaShare * state.log.length),
    });
    if (read.exceeded) return this.fullBuild(tenantId, scenarioId, settings, 'large delta', onProgress);

    await onProgress?.(SCAN_SHARE, 'similarity');
    if (read.log.length === 0) {
      // Nothing positive arrived (or only impressions): the lists stand, the cursor moves on.
      await this.finish(tenantId, scenarioId, { ...state, cursor: read.cursor, buildId: randomUUID() }, 'incremental');
      await onProgress?.(100, 'done');
      return {
        mode: 'incremental',
        items: 0,
        pairs: 0,
        interactions: state.log.length,
        touched: 0,
        patched: 0,
        recomputed: 0,
        ms: Math.round(performance.now() - started),
      };
    }
    const log = state.log.merge(read.log);
    const matrix = buildUserItemMatrix(log, state.users.size, state.items.size, settings.maxHistoryPerUser);
    // Progress of the update maps onto 50–100.
    const pacer = new TrainingPacer((pct, stage) => onProgress?.(SCAN_SHARE + ((100 - SCAN_SHARE) * pct) / 100, stage));
    const users = distinctUsers(read.log, state.users.size);
    const update = await updateNeighbourRows(state.rows, state.matrix, matrix, users, settings.topK, settings.shrinkage, pacer);
    const pairs = await this.writeRows(tenantId, scenarioId, state.items, state.rows, update.changed, settings.topK);
    const next: SimilarityState = { ...state, log, matrix, cursor: read.cursor, buildId: randomUUID() };
    await this.finish(tenantId, scenarioId, next, 'incremental');
    await onProgress?.(100, 'done');
    return {
      mode: 'incremental',
      items: update.changed.length,
      pairs,
      interactions: log.length,
      touched: update.touched,
      patched: update.patched,
      recomputed: update.recomputed,
      ms: Math.round(performance.now() - started),
    };
  }

  private async fullBuild(
    tenantId: string,
    scenarioId: string,
    settings: SimilaritySettings,
    reason: SimilarityBuildReason,
    onProgress?: ProgressCallback,
  ): Promise<ItemSimilarityResult> {
    const started = performance.now();
    this.states.delete(stateKey(tenantId, scenarioId));
    await onProgress?.(0, 'scan');
    const expected = onProgress ? await this.events.count(tenantId, scenarioId) : 0;
    const users = new IdInterner();
    const items = new IdInterner();
    const read = await readArrivals(this.events, tenantId, scenarioId, users, items, settings, (scanned) =>
      expected > 0 ? onProgress?.(Math.floor(SCAN_SHARE * Math.min(1, scanned / expected)), 'scan') : undefined,
    );

    const matrix = buildUserItemMatrix(read.log, users.size, items.size, settings.maxHistoryPerUser);
    const rows = new NeighbourRows(settings.topK + settings.rowMargin, items.size);
    const neighbours = new CosineNeighbours(matrix, rows.capacity, settings.shrinkage);
    const outItems = new Int32Array(rows.capacity);
    const outScores = new Float64Array(rows.capacity);
    let pairs = 0;
    for (let chunkStart = 0; chunkStart < items.size; chunkStart += WRITE_CHUNK) {
      await onProgress?.(SCAN_SHARE + Math.floor(((100 - SCAN_SHARE) * chunkStart) / items.size), 'similarity');
      const chunkEnd = Math.min(items.size, chunkStart + WRITE_CHUNK);
      const writes: Promise<void>[] = [];
      for (let item = chunkStart; item < chunkEnd; item++) {
        const count = neighbours.compute(item, outItems, outScores);
        rows.set(item, outItems, outScores, count, count < rows.capacity);
        pairs += Math.min(count, settings.topK);
        writes.push(this.features.setNeighbours(tenantId, scenarioId, items.idAt(item), topOf(rows, item, items, settings.topK)));
      }
      await Promise.all(writes);
      await yieldToEventLoop();
    }
    const state: SimilarityState = { settings: settingsKey(settings), users, items, log: read.log, matrix, rows, cursor: read.cursor, buildId: randomUUID() };
    await this.finish(tenantId, scenarioId, state, 'full');
    await onProgress?.(100, 'done');
    return { mode: 'full', reason, items: items.size, pairs, interactions: read.log.length, ms: Math.round(performance.now() - started) };
  }

  /** Writes the top K of the given rows, a chunk at a time; returns the entries written. */
  private async writeRows(tenantId: string, scenarioId: string, items: IdInterner, rows: NeighbourRows, which: Int32Array, topK: number): Promise<number> {
    let pairs = 0;
    for (let chunkStart = 0; chunkStart < which.length; chunkStart += WRITE_CHUNK) {
      const writes: Promise<void>[] = [];
      for (let k = chunkStart; k < Math.min(which.length, chunkStart + WRITE_CHUNK); k++) {
        const list = topOf(rows, which[k], items, topK);
        pairs += list.length;
        writes.push(this.features.setNeighbours(tenantId, scenarioId, items.idAt(which[k]), list));
      }
      await Promise.all(writes);
      // Synchronous stores (embedded) resolve at once: yield so requests are served between chunks.
      await yieldToEventLoop();
    }
    return pairs;
  }

  /** Records the watermark after the lists (so it never claims lists not yet written), then keeps the state for the next update. */
  private async finish(tenantId: string, scenarioId: string, state: SimilarityState, mode: NeighbourWatermark['mode']): Promise<void> {
    await writeWatermark(this.features, tenantId, scenarioId, {
      cursor: state.cursor ?? '',
      build_id: state.buildId,
      mode,
      interactions: state.log.length,
      built_at: Date.now(),
    });
    const key = stateKey(tenantId, scenarioId);
    this.states.delete(key);
    this.states.set(key, state);
    for (const oldest of this.states.keys()) {
      if (this.states.size <= MAX_STATES) break;
      this.states.delete(oldest);
    }
  }

  /** Runs builds of one scenario one after the other. */
  private exclusive<T>(tenantId: string, scenarioId: string, run: () => Promise<T>): Promise<T> {
    const key = stateKey(tenantId, scenarioId);
    const previous = this.running.get(key) ?? Promise.resolve();
    const result = previous.catch(() => undefined).then(run);
    const settled = result.catch(() => undefined);
    this.running.set(key, settled);
    void settled.then(() => {
      if (this.running.get(key) === settled) this.running.delete(key);
    });
    return result;
  }
}

function topOf(rows: NeighbourRows, item: number, items: IdInterner, topK: number): ScoredId[] {
  const count = Math.min(topK, rows.counts[item]);
  const at = item * rows.capacity;
  const list: ScoredId[] = new Array(count);
  for (let k = 0; k < count; k++) list[k] = { item_id: items.idAt(rows.ids[at + k]), score: rows.scores[at + k] };
  return list;
}

function distinctUsers(log: TimedLog, users: number): Int32Array {
  const seen = new Uint8Array(users);
  let n = 0;
  for (let e = 0; e < log.length; e++) {
    if (seen[log.users[e]] === 1) continue;
    seen[log.users[e]] = 1;
    n++;
  }
  const list = new Int32Array(n);
  for (let u = 0, k = 0; u < users; u++) if (seen[u] === 1) list[k++] = u;
  return list;
}

const stateKey = (tenantId: string, scenarioId: string): string => JSON.stringify([tenantId, scenarioId]);

function validSettings(options: ItemSimilarityOptions): SimilaritySettings {
  const topK = positiveInteger('topK', options.topK ?? DEFAULT_ITEM_SIMILARITY_OPTIONS.topK);
  const maxHistoryPerUser = positiveInteger('maxHistoryPerUser', options.maxHistoryPerUser ?? DEFAULT_ITEM_SIMILARITY_OPTIONS.maxHistoryPerUser);
  const shrinkage = options.shrinkage ?? DEFAULT_ITEM_SIMILARITY_OPTIONS.shrinkage;
  if (!(shrinkage >= 0)) throw new RangeError(`shrinkage must be >= 0, got ${shrinkage}`);
  const rowMargin = options.rowMargin ?? defaultRowMargin(topK);
  if (!Number.isInteger(rowMargin) || rowMargin < 0) throw new RangeError(`rowMargin must be a non-negative integer, got ${rowMargin}`);
  return { topK, shrinkage, maxHistoryPerUser, rowMargin, since: options.since, actionWeights: options.actionWeights };
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
