import { InteractionLog } from '../../similarity/interaction-log';
import { buildUserItemMatrix, type UserItemMatrix } from '../../similarity/user-item-matrix';
import type { ImplicitModel, UserHistory } from '../implicit-model';

/** Deterministic uniform [0, 1) generator (LCG), so fixtures are identical on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

export interface PlantedClusters {
  matrix: UserItemMatrix;
  clusters: number;
  /** Cluster of each user / item (user u is in cluster u % clusters, item i in i % clusters). */
  userCluster(user: number): number;
  itemCluster(item: number): number;
}

/**
 * Users and items split into `clusters` groups; each user touches
 * `perUser` random items of their own group (some twice, so weights vary)
 * and one random item of another group as noise. Small on purpose: unit
 * tests share a 2-core machine.
 */
export function plantedClusters({ clusters = 3, usersPerCluster = 30, itemsPerCluster = 24, perUser = 8, seed = 7 } = {}): PlantedClusters {
  const random = seededRandom(seed);
  const users = clusters * usersPerCluster;
  const items = clusters * itemsPerCluster;
  const log = new InteractionLog();
  const itemOf = (cluster: number, k: number) => k * clusters + cluster;
  for (let u = 0; u < users; u++) {
    const cluster = u % clusters;
    for (let n = 0; n < perUser; n++) {
      const item = itemOf(cluster, Math.floor(random() * itemsPerCluster));
      log.push(u, item, random() < 0.3 ? 3 : 1);
    }
    const other = (cluster + 1 + Math.floor(random() * (clusters - 1))) % clusters;
    log.push(u, itemOf(other, Math.floor(random() * itemsPerCluster)), 1);
  }
  return {
    matrix: buildUserItemMatrix(log, users, items, 1000),
    clusters,
    userCluster: (user) => user % clusters,
    itemCluster: (item) => item % clusters,
  };
}

/** The k best-scored items outside the history, best first (ties by lower index). */
export function topItems(model: ImplicitModel, user: number, history: UserHistory, k: number): number[] {
  const scores = new Float32Array(model.items);
  model.scoreUser(user, history, scores);
  const seen = new Set(history.items);
  return Array.from({ length: model.items }, (_, i) => i)
    .filter((i) => !seen.has(i))
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, k);
}

/** Mean share, over all users, of their top-10 unseen items that are in their own cluster. */
export function inClusterShare(model: ImplicitModel, fixture: PlantedClusters, historyOf: (user: number) => UserHistory): number {
  let share = 0;
  for (let u = 0; u < fixture.matrix.users; u++) {
    const top = topItems(model, u, historyOf(u), 10);
    share += top.filter((i) => fixture.itemCluster(i) === fixture.userCluster(u)).length / top.length;
  }
  return share / fixture.matrix.users;
}

/** A history from plain arrays. */
export function history(items: number[], weights: number[] = items.map(() => 1)): UserHistory {
  return { items: Int32Array.from(items), weights: Float32Array.from(weights) };
}
