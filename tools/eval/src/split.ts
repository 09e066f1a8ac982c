import type { Interactions } from './interactions';
import { randomFor, shuffleInPlace } from './random';

export type ProtocolName = 'recbole' | 'ms-recommenders' | 'leave-last-out';

export const PROTOCOL_NAMES: readonly ProtocolName[] = ['recbole', 'ms-recommenders', 'leave-last-out'];

/** Interaction indices (into Interactions) on each side of a split. */
export interface Split {
  train: Int32Array;
  /** Held out for tuning only (RecBole's validation part); empty for the other protocols. */
  validation: Int32Array;
  test: Int32Array;
}

export interface Protocol {
  name: ProtocolName;
  /** How the protocol is named in every report. */
  description: string;
  /** Rating threshold for "positive" when --positive is not given (undefined: every rating is positive). */
  defaultPositiveThreshold?: number;
  /** Splits the given interactions (all of them, or a training part to carve a validation split from). */
  split(data: Interactions, subset: Int32Array, seed: number): Split;
}

export const PROTOCOLS: Record<ProtocolName, Protocol> = {
  recbole: {
    name: 'recbole',
    description: "random 8:1:1 per user (RecBole's split), full ranking over all items, ratings >= 3 positive",
    defaultPositiveThreshold: 3,
    split: (data, subset, seed) => randomRatioSplit(data, subset, seed, recboleCounts),
  },
  'ms-recommenders': {
    name: 'ms-recommenders',
    description: "75/25 stratified random split per user (Microsoft Recommenders' python_stratified_split), all ratings positive",
    split: (data, subset, seed) => randomRatioSplit(data, subset, seed, (n) => [roundHalfToEven(0.75 * n), 0, n - roundHalfToEven(0.75 * n)]),
  },
  'leave-last-out': {
    name: 'leave-last-out',
    description: "chronological leave-last-out: each user's latest interaction is the test, full ranking",
    split: leaveLastOut,
  },
};

export function protocolNamed(name: string): Protocol {
  const protocol = (PROTOCOLS as Record<string, Protocol | undefined>)[name];
  if (!protocol) throw new Error(`unknown protocol '${name}' (use ${PROTOCOL_NAMES.join(', ')})`);
  return protocol;
}

/** The subset's interaction indices grouped by user, users in index order, each group in subset order. */
export function groupByUser(data: Interactions, subset: Int32Array): Int32Array[] {
  const counts = new Int32Array(data.userIds.size);
  for (const e of subset) counts[data.users[e]]++;
  const groups = Array.from(counts, (count) => new Int32Array(count));
  const fill = new Int32Array(data.userIds.size);
  for (const e of subset) groups[data.users[e]][fill[data.users[e]]++] = e;
  return groups;
}

/** Per user: shuffle with the seed, then cut into [train, validation, test] sizes given by `counts(n)`. */
function randomRatioSplit(data: Interactions, subset: Int32Array, seed: number, counts: (n: number) => [number, number, number]): Split {
  const random = randomFor(seed);
  const train: number[] = [];
  const validation: number[] = [];
  const test: number[] = [];
  for (const group of groupByUser(data, subset)) {
    shuffleInPlace(group, random);
    const [trainCount, validationCount] = counts(group.length);
    group.forEach((e, position) => {
      if (position < trainCount) train.push(e);
      else if (position < trainCount + validationCount) validation.push(e);
      else test.push(e);
    });
  }
  return { train: Int32Array.from(train), validation: Int32Array.from(validation), test: Int32Array.from(test) };
}

/**
 * RecBole's `_calcu_split_ids` for ratios 0.8/0.1/0.1: validation and test get
 * floor(0.1 n) each, and a part that would round to zero gets one interaction
 * while the training part keeps at least one.
 */
export function recboleCounts(n: number): [number, number, number] {
  const ratios = [0.8, 0.1, 0.1];
  const counts = ratios.map((ratio) => Math.floor(ratio * n));
  counts[0] = n - counts[1] - counts[2];
  for (let i = 1; i < ratios.length; i++) {
    if (counts[0] <= 1) break;
    const part = ratios.length - i;
    if (ratios[part] * n > 0 && ratios[part] * n < 1) {
      counts[part] += 1;
      counts[0] -= 1;
    }
  }
  return [counts[0], counts[1], counts[2]];
}

/** Python's round(): halves go to the even neighbour (the reference implementation's rounding). */
export function roundHalfToEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Each user's latest interaction (ties: the pair first seen later in the file) is the test; users with one interaction only train. */
function leaveLastOut(data: Interactions, subset: Int32Array): Split {
  const train: number[] = [];
  const test: number[] = [];
  for (const group of groupByUser(data, subset)) {
    if (group.length === 0) continue;
    let last = group[0];
    for (const e of group) if (data.timestamps[e] > data.timestamps[last] || (data.timestamps[e] === data.timestamps[last] && e > last)) last = e;
    for (const e of group) if (e !== last || group.length === 1) train.push(e);
    if (group.length > 1) test.push(last);
  }
  return { train: Int32Array.from(train), validation: new Int32Array(0), test: Int32Array.from(test) };
}
