import { InteractionLog } from '../../similarity/interaction-log';
import { buildUserItemMatrix, type UserItemMatrix } from '../../similarity/user-item-matrix';
import type { ImplicitModel } from '../implicit-model';
import { historyOf } from '../implicit-model';
import { seededRandom } from './planted-clusters';

export interface HeldOutClusters {
  /** The training matrix: every user's interactions but one. */
  matrix: UserItemMatrix;
  /** heldOut[u]: an item of u's own cluster that u touched but that was left out of training. */
  heldOut: Int32Array;
  clusters: number;
}

/**
 * Planted clusters as in planted-clusters.ts (user u and item i in cluster
 * u % clusters and i % clusters; `perUser` own-cluster items plus one noise item
 * of another cluster), with one distinct own-cluster item per user held out.
 */
export function plantedWithHeldOut({ clusters = 3, usersPerCluster = 30, itemsPerCluster = 24, perUser = 8, seed = 11 } = {}): HeldOutClusters {
  const random = seededRandom(seed);
  const users = clusters * usersPerCluster;
  const items = clusters * itemsPerCluster;
  const log = new InteractionLog();
  const heldOut = new Int32Array(users);
  for (let u = 0; u < users; u++) {
    const cluster = u % clusters;
    const liked = new Set<number>();
    while (liked.size < perUser) liked.add(Math.floor(random() * itemsPerCluster) * clusters + cluster);
    const [first, ...rest] = [...liked];
    heldOut[u] = first;
    for (const item of rest) log.push(u, item, random() < 0.3 ? 3 : 1);
    const other = (cluster + 1 + Math.floor(random() * (clusters - 1))) % clusters;
    log.push(u, Math.floor(random() * itemsPerCluster) * clusters + other, 1);
  }
  return { matrix: buildUserItemMatrix(log, users, items, 1000), heldOut, clusters };
}

/**
 * How well held-out items are ranked against the other clusters: per user, the
 * share of unseen other-cluster items that the held-out item outscores (an AUC
 * against the wrong clusters), averaged over users. 1 is perfect, 0.5 is chance.
 */
export function heldOutAucAgainstOtherClusters(model: ImplicitModel, fixture: HeldOutClusters): number {
  const { matrix, heldOut, clusters } = fixture;
  const scores = new Float32Array(model.items);
  let sum = 0;
  for (let u = 0; u < matrix.users; u++) {
    const history = historyOf(matrix, u);
    model.scoreUser(u, history, scores);
    const seen = new Set(history.items);
    let beaten = 0;
    let others = 0;
    for (let i = 0; i < model.items; i++) {
      if (i % clusters === u % clusters || seen.has(i)) continue;
      others++;
      if (scores[heldOut[u]] > scores[i]) beaten++;
    }
    sum += beaten / others;
  }
  return sum / matrix.users;
}
