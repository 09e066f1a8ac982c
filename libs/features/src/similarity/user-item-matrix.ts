import type { InteractionLog } from './interaction-log';

/**
 * The implicit-feedback matrix in both compressed layouts: rows by user (CSR)
 * and columns by item (CSC). Entry w(u,i) = ln(1 + Σ action weights of u on i):
 * repeated and stronger actions count more, with diminishing returns.
 */
export interface UserItemMatrix {
  users: number;
  items: number;
  /** User u's entries are userItems/userWeights[userPtr[u] .. userPtr[u+1]). */
  userPtr: Int32Array;
  userItems: Int32Array;
  userWeights: Float32Array;
  /** Item i's entries are itemUsers/itemWeights[itemPtr[i] .. itemPtr[i+1]). */
  itemPtr: Int32Array;
  itemUsers: Int32Array;
  itemWeights: Float32Array;
  /** Σ_u w(u,i)², the squared norm of item i's column. */
  itemNorm2: Float64Array;
}

/** What the matrix is built from: an InteractionLog or a TimedLog. */
export type InteractionColumns = Pick<InteractionLog, 'users' | 'items' | 'weights' | 'length'>;

/**
 * Builds the matrix from a log in timestamp order, keeping per user only the
 * `maxHistoryPerUser` most recently touched distinct items (older actions on a
 * kept item still add to its weight). The cap bounds the O(Σ_u |I(u)|²) work
 * of the similarity pass and favours current tastes.
 */
export function buildUserItemMatrix(log: InteractionColumns, users: number, items: number, maxHistoryPerUser: number): UserItemMatrix {
  const events = log.length;
  // Counting sort of event indices by user; stable, so each user's events stay in time order.
  const userStart = new Int32Array(users + 1);
  for (let e = 0; e < events; e++) userStart[log.users[e] + 1]++;
  for (let u = 0; u < users; u++) userStart[u + 1] += userStart[u];
  const byUser = new Int32Array(events);
  const cursor = userStart.slice(0, users);
  for (let e = 0; e < events; e++) byUser[cursor[log.users[e]]++] = e;

  const userPtr = new Int32Array(users + 1);
  const userItems = new Int32Array(events);
  const userWeights = new Float32Array(events);
  // slotOwner[i] = u + 1 while user u is being built and already holds item i at slotOf[i].
  const slotOwner = new Int32Array(items);
  const slotOf = new Int32Array(items);
  let nnz = 0;
  for (let u = 0; u < users; u++) {
    userPtr[u] = nnz;
    const rowStart = nnz;
    for (let k = userStart[u + 1] - 1; k >= userStart[u]; k--) {
      const e = byUser[k];
      const item = log.items[e];
      if (slotOwner[item] === u + 1) {
        userWeights[slotOf[item]] += log.weights[e];
      } else if (nnz - rowStart < maxHistoryPerUser) {
        slotOwner[item] = u + 1;
        slotOf[item] = nnz;
        userItems[nnz] = item;
        userWeights[nnz] = log.weights[e];
        nnz++;
      }
    }
  }
  userPtr[users] = nnz;
  for (let k = 0; k < nnz; k++) userWeights[k] = Math.log1p(userWeights[k]);
  return fromUserRows(users, items, userPtr, userItems.subarray(0, nnz), userWeights.subarray(0, nnz));
}

/** Completes a matrix given by its user rows (CSR) with the item columns (CSC) and column norms. */
export function fromUserRows(users: number, items: number, userPtr: Int32Array, userItems: Int32Array, userWeights: Float32Array): UserItemMatrix {
  const nnz = userPtr[users];
  const itemPtr = new Int32Array(items + 1);
  for (let k = 0; k < nnz; k++) itemPtr[userItems[k] + 1]++;
  for (let i = 0; i < items; i++) itemPtr[i + 1] += itemPtr[i];
  const itemUsers = new Int32Array(nnz);
  const itemWeights = new Float32Array(nnz);
  const itemNorm2 = new Float64Array(items);
  const fill = itemPtr.slice(0, items);
  for (let u = 0; u < users; u++) {
    for (let k = userPtr[u]; k < userPtr[u + 1]; k++) {
      const item = userItems[k];
      const at = fill[item]++;
      itemUsers[at] = u;
      itemWeights[at] = userWeights[k];
      itemNorm2[item] += userWeights[k] * userWeights[k];
    }
  }
  return {
    users,
    items,
    userPtr,
    userItems,
    userWeights,
    itemPtr,
    itemUsers,
    itemWeights,
    itemNorm2,
  };
}
