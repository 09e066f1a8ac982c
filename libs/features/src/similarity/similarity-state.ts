import type { ActionWeights } from '@lemo/domain';
import type { IdInterner } from '../numeric/id-interner';
import type { NeighbourRows } from './neighbour-rows';
import type { TimedLog } from './timed-log';
import type { UserItemMatrix } from './user-item-matrix';

/** The validated options a build's lists depend on. */
export interface SimilaritySettings {
  topK: number;
  shrinkage: number;
  maxHistoryPerUser: number;
  /** Row entries kept beyond topK. */
  rowMargin: number;
  since?: number;
  actionWeights?: ActionWeights;
}

/**
 * What an incremental update needs from the previous build, kept in the
 * worker process's memory. The alternative, re-reading from the event store
 * the events of every user of every touched item, costs about as much I/O as
 * a full scan once popular items are touched (they are, in every batch), so
 * the sparse matrix stays in memory instead: for 1M interactions and 20k
 * items about 20 MB of log, 14 MB of matrix and 18 MB of neighbour rows,
 * against a full event-store scan and rescoring of every item per update.
 * It is lost with the process; the next update then does a full build.
 */
export interface SimilarityState {
  /** settingsKey of the build: an update with other settings is a full build. */
  settings: string;
  users: IdInterner;
  items: IdInterner;
  /** Every positive interaction read so far, in time order. */
  log: TimedLog;
  matrix: UserItemMatrix;
  rows: NeighbourRows;
  /** EventStore.readAppended cursor the log reaches. */
  cursor: string | undefined;
  /** Id of the build that wrote the lists now in the FeatureStore from these rows (NeighbourWatermark.build_id). */
  buildId: string;
}

export const settingsKey = (settings: SimilaritySettings): string =>
  JSON.stringify([
    settings.topK,
    settings.rowMargin,
    settings.shrinkage,
    settings.maxHistoryPerUser,
    settings.since ?? null,
    sortedEntries(settings.actionWeights ?? {}),
  ]);

const sortedEntries = (weights: ActionWeights) => Object.entries(weights).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Rows keep topK plus this margin by default (NeighbourRows): enough that an
 * update rarely leaves a row short of K known entries (see the rescored count
 * in docs/benchmarks.md), for 1.5× the row memory.
 */
export const defaultRowMargin = (topK: number): number => Math.max(8, Math.ceil(topK / 2));
