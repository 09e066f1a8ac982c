import type { UserItemMatrix } from './user-item-matrix';

/**
 * The items whose column changed between two matrices built from the same log
 * before and after an increment, given the users the increment has events of
 * (no other row can differ). An item is touched when one of those users gained
 * it, lost it (pushed out of the user's last maxHistoryPerUser items) or holds
 * it with another weight; items new in `after` are touched by construction.
 * Only touched items have a new norm, and only pairs with a touched item a new
 * dot product: every other similarity is unchanged, bit for bit.
 * Returns a 0/1 flag per item of `after`.
 */
export function touchedItems(before: UserItemMatrix, after: UserItemMatrix, users: Int32Array): Uint8Array {
  const touched = new Uint8Array(after.items);
  // oldStamp[i] = k + 1 while the k-th user is examined and held i before, with weight oldWeight[i].
  const oldStamp = new Int32Array(after.items);
  const newStamp = new Int32Array(after.items);
  const oldWeight = new Float32Array(after.items);
  for (let k = 0; k < users.length; k++) {
    const user = users[k];
    const stamp = k + 1;
    if (user < before.users) {
      for (let q = before.userPtr[user]; q < before.userPtr[user + 1]; q++) {
        oldStamp[before.userItems[q]] = stamp;
        oldWeight[before.userItems[q]] = before.userWeights[q];
      }
    }
    for (let q = after.userPtr[user]; q < after.userPtr[user + 1]; q++) {
      const item = after.userItems[q];
      newStamp[item] = stamp;
      if (oldStamp[item] !== stamp || oldWeight[item] !== after.userWeights[q]) touched[item] = 1;
    }
    if (user < before.users) {
      for (let q = before.userPtr[user]; q < before.userPtr[user + 1]; q++) {
        if (newStamp[before.userItems[q]] !== stamp) touched[before.userItems[q]] = 1;
      }
    }
  }
  return touched;
}
