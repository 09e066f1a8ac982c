import type { UserItemMatrix } from '../similarity/user-item-matrix';
import { decodeFactorModel, encodeFactorModel } from './factor-model-codec';
import { scoreItems } from './factor-math';
import type { ImplicitModel, ImplicitTrainer, TrainingProgress, UserHistory } from './implicit-model';
import { integerParam, numberParam } from './model-params';
import { mulberry32 } from './random';
import { containsSorted, sortedUserRows } from './sorted-rows';
import { TrainingPacer } from './training-pacer';

/** Params of the `bpr` strategy (snake_case, as in scenario config). */
export interface BprParams {
  /** Latent dimensions (plus one item bias). */
  factors: number;
  /** Passes of SGD; one epoch draws as many triples as the matrix has entries. */
  epochs: number;
  learning_rate: number;
  /** L2 weight on the factors and biases touched by each step. */
  regularization: number;
  seed: number;
  /** SGD steps per history item when folding in an unseen user (item factors fixed). */
  fold_in_steps: number;
}

/**
 * Defaults from a sweep on MovieLens-100K (75/25 random split per user;
 * NDCG@10 0.43) that also fit a 1M-interaction matrix into the 30 s training
 * budget on 2 cores (docs/benchmarks.md): 64 factors add ~0.005 at twice the
 * cost, fewer epochs lose more (20: −0.015), a learning rate of 0.08–0.1 overshoots.
 */
export const DEFAULT_BPR_PARAMS: Readonly<BprParams> = { factors: 32, epochs: 30, learning_rate: 0.05, regularization: 0.003, seed: 42, fold_in_steps: 30 };

/** Users visited between two checkpoints of the training pacer. */
const USERS_PER_CHECK = 512;
/** Redraws of a negative that the user already has, before the triple is skipped (users who saw nearly everything). */
const NEGATIVE_ATTEMPTS = 16;
/** Bounds fold-in at serving time: a long history gets fewer steps per item. */
const MAX_FOLD_IN_STEPS = 20_000;

/**
 * Bayesian Personalised Ranking (Rendle et al. 2009) on a matrix factorisation
 * with item bias: score(u, i) = x_uᵀ y_i + b_i. SGD maximises
 *   Σ ln σ(score(u, i) − score(u, j)) − λ‖θ‖²
 * over triples of a user, an item in the user's row (positive) and a uniformly
 * drawn item outside it (negative), checked by binary search in the sorted row.
 * Triples draw the user uniformly, then the positive uniformly from the user's
 * row: every user gets the same share of updates, however active (on
 * MovieLens-100K this beat drawing matrix entries uniformly, the paper's
 * bootstrap, by 0.03 NDCG@10: light users are most of the users evaluated).
 * BPR learns a ranking, so entry weights only decide what is positive, not how much.
 */
export class BprTrainer implements ImplicitTrainer<BprParams> {
  readonly algorithm = 'bpr';

  async train(matrix: UserItemMatrix, params: Partial<BprParams> = {}, onProgress?: TrainingProgress): Promise<BprModel> {
    const p = resolveBprParams(params);
    const k = p.factors;
    const random = mulberry32(p.seed);
    const userFactors = new Float32Array(matrix.users * k).map(() => (random() - 0.5) / k);
    const itemFactors = new Float32Array(matrix.items * k).map(() => (random() - 0.5) / k);
    const itemBias = new Float32Array(matrix.items);
    const sgd = new BprSgd(matrix, k, userFactors, itemFactors, itemBias, p.learning_rate, p.regularization, random);
    const pacer = new TrainingPacer(onProgress);
    await pacer.report(0, 'training');
    const users = sgd.activeUsers.length;
    for (let epoch = 0; epoch < p.epochs && users > 0 && matrix.items > 1; epoch++) {
      sgd.shuffleUsers();
      for (let from = 0; from < users; from += USERS_PER_CHECK) {
        sgd.runUsers(from, Math.min(users, from + USERS_PER_CHECK));
        await pacer.checkpoint((100 * (epoch + from / users)) / p.epochs, 'training');
      }
      await pacer.report((100 * (epoch + 1)) / p.epochs, 'training');
    }
    await pacer.report(100, 'done');
    return new BprModel(p, matrix.users, matrix.items, userFactors, itemFactors, itemBias);
  }
}

/**
 * The SGD state of one training: the matrix in the lookups sampling needs, and
 * the parameters it updates in place. An epoch visits the users in a fresh
 * random order and draws each user's triples in a row (as many per user as the
 * matrix has entries per user, on average): the same share of updates per user
 * as drawing the user anew for every triple, but the user's vector and row stay
 * in cache: at 1M interactions training took 21 s of CPU instead of 39 s.
 */
class BprSgd {
  /** Users with at least one entry, the ones a triple can be drawn for; shuffled every epoch. */
  readonly activeUsers: Int32Array;
  private readonly rows: Int32Array;
  private readonly userPtr: Int32Array;
  private readonly items: number;
  /** Mean triples per user and epoch: entries / active users. */
  private readonly triplesPerUser: number;

  constructor(
    matrix: UserItemMatrix,
    private readonly k: number,
    private readonly userFactors: Float32Array,
    private readonly itemFactors: Float32Array,
    private readonly itemBias: Float32Array,
    private readonly learningRate: number,
    private readonly regularization: number,
    private readonly random: () => number,
  ) {
    this.rows = sortedUserRows(matrix);
    this.userPtr = matrix.userPtr;
    this.items = matrix.items;
    const active: number[] = [];
    for (let u = 0; u < matrix.users; u++) if (matrix.userPtr[u + 1] > matrix.userPtr[u]) active.push(u);
    this.activeUsers = Int32Array.from(active);
    this.triplesPerUser = active.length > 0 ? this.rows.length / active.length : 0;
  }

  /** Fisher–Yates with the training's PRNG. */
  shuffleUsers(): void {
    const { activeUsers: users, random } = this;
    for (let n = users.length - 1; n > 0; n--) {
      const m = Math.floor(random() * (n + 1));
      const user = users[n];
      users[n] = users[m];
      users[m] = user;
    }
  }

  /** SGD on the triples of activeUsers[from, to). */
  runUsers(from: number, to: number): void {
    const { rows, userPtr, activeUsers, items, k, userFactors: x, itemFactors: y, itemBias: bias, learningRate: lr, regularization: reg, random } = this;
    const whole = Math.floor(this.triplesPerUser);
    const fraction = this.triplesPerUser - whole;
    for (let a = from; a < to; a++) {
      const user = activeUsers[a];
      const start = userPtr[user];
      const end = userPtr[user + 1];
      const u = user * k;
      // Rounded at random so an epoch draws as many triples as the matrix has entries, in expectation.
      const triples = whole + (random() < fraction ? 1 : 0);
      for (let t = 0; t < triples; t++) {
        const positive = rows[start + Math.floor(random() * (end - start))];
        let negative = -1;
        for (let attempt = 0; attempt < NEGATIVE_ATTEMPTS; attempt++) {
          const candidate = Math.floor(random() * items);
          if (!containsSorted(rows, start, end, candidate)) {
            negative = candidate;
            break;
          }
        }
        if (negative < 0) continue;

        const i = positive * k;
        const j = negative * k;
        let margin = bias[positive] - bias[negative];
        for (let f = 0; f < k; f++) margin += x[u + f] * (y[i + f] - y[j + f]);
        // d/dθ ln σ(margin) = σ(−margin) · d margin/dθ
        const g = 1 / (1 + Math.exp(margin));
        bias[positive] += lr * (g - reg * bias[positive]);
        bias[negative] += lr * (-g - reg * bias[negative]);
        for (let f = 0; f < k; f++) {
          const xf = x[u + f];
          const yi = y[i + f];
          const yj = y[j + f];
          x[u + f] = xf + lr * (g * (yi - yj) - reg * xf);
          y[i + f] = yi + lr * (g * xf - reg * yi);
          y[j + f] = yj + lr * (-g * xf - reg * yj);
        }
      }
    }
  }
}

/** A trained BPR model: score = x_uᵀ y_i + b_i. */
export class BprModel implements ImplicitModel {
  readonly algorithm = 'bpr';
  readonly factors: number;

  constructor(
    readonly params: Readonly<BprParams>,
    readonly users: number,
    readonly items: number,
    /** users × factors, row-major. */
    readonly userFactors: Float32Array,
    /** items × factors, row-major: the item vectors serving puts into a vector index. */
    readonly itemFactors: Float32Array,
    /** Per-item popularity offset learnt alongside the factors. */
    readonly itemBias: Float32Array,
  ) {
    this.factors = params.factors;
    if (userFactors.length !== users * this.factors || itemFactors.length !== items * this.factors || itemBias.length !== items) {
      throw new RangeError('factor arrays do not match users/items × factors');
    }
  }

  scoreUser(user: number, history: UserHistory, out: Float32Array): void {
    if (user >= this.users || user < -1 || !Number.isInteger(user)) throw new RangeError(`user must be -1 or a row index below ${this.users}, got ${user}`);
    if (user >= 0) {
      scoreItems(this.userFactors, user * this.factors, this.itemFactors, this.items, this.factors, out, this.itemBias);
    } else {
      scoreItems(this.foldIn(history), 0, this.itemFactors, this.items, this.factors, out, this.itemBias);
    }
  }

  /**
   * A vector for a user the model has not seen: the mean of the history's item
   * vectors, refined by BPR steps on the user's own triples with the item
   * factors fixed. The PRNG is seeded from the model, so the same history always
   * gets the same vector. History items outside the model's index space are ignored.
   */
  foldIn(history: UserHistory): Float64Array {
    const { factors: k, itemFactors: y, itemBias: bias, items } = this;
    const { learning_rate: lr, regularization: reg, fold_in_steps, seed } = this.params;
    const known = Int32Array.from(history.items.filter((item) => item >= 0 && item < items)).sort();
    const x = new Float64Array(k);
    const n = known.length;
    if (n === 0) return x;
    for (let e = 0; e < n; e++) for (let f = 0; f < k; f++) x[f] += y[known[e] * k + f] / n;
    if (n >= items) return x;
    const random = mulberry32(seed);
    const steps = Math.min(MAX_FOLD_IN_STEPS, fold_in_steps * n);
    for (let s = 0; s < steps; s++) {
      const positive = known[Math.floor(random() * n)];
      let negative = Math.floor(random() * items);
      for (let attempt = 1; attempt < NEGATIVE_ATTEMPTS && containsSorted(known, 0, n, negative); attempt++) negative = Math.floor(random() * items);
      if (containsSorted(known, 0, n, negative)) continue;
      const i = positive * k;
      const j = negative * k;
      let margin = bias[positive] - bias[negative];
      for (let f = 0; f < k; f++) margin += x[f] * (y[i + f] - y[j + f]);
      const g = 1 / (1 + Math.exp(margin));
      for (let f = 0; f < k; f++) x[f] += lr * (g * (y[i + f] - y[j + f]) - reg * x[f]);
    }
    return x;
  }

  serialize(): Uint8Array {
    const { factors, epochs, learning_rate, regularization, seed, fold_in_steps } = this.params;
    return encodeFactorModel({
      algorithm: this.algorithm,
      users: this.users,
      items: this.items,
      factors,
      scalars: Float64Array.of(epochs, learning_rate, regularization, seed, fold_in_steps),
      arrays: [this.userFactors, this.itemFactors, this.itemBias],
    });
  }

  static deserialize(bytes: Uint8Array): BprModel {
    const { users, items, factors, scalars, arrays } = decodeFactorModel(bytes, 'bpr');
    if (scalars.length !== 5 || arrays.length !== 3) throw new RangeError('bpr artifact has an unexpected layout');
    const [epochs, learning_rate, regularization, seed, fold_in_steps] = scalars;
    return new BprModel({ factors, epochs, learning_rate, regularization, seed, fold_in_steps }, users, items, arrays[0], arrays[1], arrays[2]);
  }
}

/** The effective params: defaults for absent ones; invalid ones are refused with VALIDATION_FAILED. */
export function resolveBprParams(params: Partial<BprParams>): BprParams {
  const d = DEFAULT_BPR_PARAMS;
  return {
    factors: integerParam(params, 'factors', d.factors, 1, 1024),
    epochs: integerParam(params, 'epochs', d.epochs, 0, 10_000),
    learning_rate: numberParam(params, 'learning_rate', d.learning_rate, 0, 10),
    regularization: numberParam(params, 'regularization', d.regularization, 0, 100),
    seed: integerParam(params, 'seed', d.seed, 0, 2 ** 32 - 1),
    fold_in_steps: integerParam(params, 'fold_in_steps', d.fold_in_steps, 0, 10_000),
  };
}
