import type { UserItemMatrix } from '../similarity/user-item-matrix';
import { decodeFactorModel, encodeFactorModel } from './factor-model-codec';
import { choleskySolveInPlace, gramMatrix, scoreItems } from './factor-math';
import type { ImplicitModel, ImplicitTrainer, TrainingProgress, UserHistory } from './implicit-model';
import { integerParam, numberParam } from './model-params';
import { mulberry32 } from './random';
import { TrainingPacer } from './training-pacer';

/** Params of the `als` strategy (snake_case, as in scenario config). */
export interface AlsParams {
  /** Latent dimensions. */
  factors: number;
  /** Alternating sweeps (users, then items). */
  iterations: number;
  /** Ridge weight λ on every factor vector. */
  regularization: number;
  /** Confidence slope: c = 1 + alpha·w for an observed weight w, 1 for unobserved pairs. */
  alpha: number;
  /** Conjugate-gradient steps per vector and sweep (warm-started, so a few suffice). */
  cg_steps: number;
  seed: number;
}

/**
 * Defaults from a sweep on MovieLens-100K (every rating a positive, so w = ln 2;
 * 75/25 random split per user; NDCG@10 0.48) that also fit a 1M-interaction
 * matrix into the 30 s training budget on 2 cores (docs/benchmarks.md).
 * The ridge weight is absolute, so it is large next to the `implicit` library's
 * 0.01: at λ = 0.05 the same data scored 0.38 (64 factors) to 0.44 (32), at
 * λ = 20 0.48 for both; λ = 50 fell back to 0.41. Lower confidence slopes did
 * better there too (alpha 2 > 5 > 20). 32 factors match 64 at half the cost,
 * and 2 warm-started CG steps match 3.
 */
export const DEFAULT_ALS_PARAMS: Readonly<AlsParams> = { factors: 32, iterations: 10, regularization: 20, alpha: 2, cg_steps: 2, seed: 42 };

/** Rows solved between two checkpoints of the training pacer (each one reads the clock). */
const ROWS_PER_CHECK = 256;
/** Residual norm² below which a CG solve has converged. */
const CG_TOLERANCE = 1e-20;

/**
 * Implicit-feedback matrix factorisation (Hu, Koren & Volinsky 2008, "Collaborative
 * Filtering for Implicit Feedback Datasets"): every user × item pair is a
 * preference p ∈ {0, 1} with confidence c = 1 + alpha·w, and the model minimises
 *   Σ_{u,i} c_ui (p_ui − x_uᵀ y_i)² + λ (Σ‖x_u‖² + Σ‖y_i‖²).
 * Each half-sweep solves one side with the other fixed. The normal equations
 *   (YᵀY + λI + Σ_{i∈I(u)} alpha·w_ui y_i y_iᵀ) x_u = Σ_{i∈I(u)} (1 + alpha·w_ui) y_i
 * share YᵀY + λI across rows, so it is computed once per half-sweep and the
 * per-row part only touches the row's own entries. Instead of a k³ direct
 * solve per row, a few conjugate-gradient steps warm-started from the previous
 * sweep's vector refine it (Takács, Pilászy & Tikk 2011; the `implicit`
 * library's default solver): O(cg_steps · (k² + nnz_u·k)) per row.
 */
export class AlsTrainer implements ImplicitTrainer<AlsParams> {
  readonly algorithm = 'als';

  async train(matrix: UserItemMatrix, params: Partial<AlsParams> = {}, onProgress?: TrainingProgress): Promise<AlsModel> {
    const p = resolveAlsParams(params);
    const k = p.factors;
    const random = mulberry32(p.seed);
    // Small positive start (as `implicit` does): the first user sweep then sees near-uniform items.
    const userFactors = new Float32Array(matrix.users * k).map(() => random() * 0.01);
    const itemFactors = new Float32Array(matrix.items * k).map(() => random() * 0.01);
    const solver = new ConjugateGradientSolver(k, p.regularization, p.alpha, p.cg_steps);
    const pacer = new TrainingPacer(onProgress);
    await pacer.report(0, 'training');
    for (let iteration = 0; iteration < p.iterations; iteration++) {
      const pct = (100 * iteration) / p.iterations;
      const half = 50 / p.iterations;
      await solver.sweep(matrix.userPtr, matrix.userItems, matrix.userWeights, matrix.users, itemFactors, matrix.items, userFactors, pacer, pct, half);
      await solver.sweep(matrix.itemPtr, matrix.itemUsers, matrix.itemWeights, matrix.items, userFactors, matrix.users, itemFactors, pacer, pct + half, half);
      await pacer.report((100 * (iteration + 1)) / p.iterations, 'training');
    }
    await pacer.report(100, 'done');
    return new AlsModel(p, matrix.users, matrix.items, userFactors, itemFactors);
  }
}

/**
 * One side's solve with scratch vectors allocated once per training: the hot
 * loop reads and writes typed arrays only.
 */
class ConjugateGradientSolver {
  private readonly x: Float64Array;
  private readonly residual: Float64Array;
  private readonly direction: Float64Array;
  private readonly product: Float64Array;

  constructor(
    private readonly k: number,
    private readonly regularization: number,
    private readonly alpha: number,
    private readonly steps: number,
  ) {
    this.x = new Float64Array(k);
    this.residual = new Float64Array(k);
    this.direction = new Float64Array(k);
    this.product = new Float64Array(k);
  }

  /** Re-solves every row of `target` (CSR rows `ptr`/`indices`/`weights`) against the fixed `source` factors. */
  async sweep(
    ptr: Int32Array,
    indices: Int32Array,
    weights: Float32Array,
    rows: number,
    source: Float32Array,
    sourceRows: number,
    target: Float32Array,
    pacer: TrainingPacer,
    /** Training progress when the sweep starts, and the share of it the sweep covers. */
    startPct: number,
    spanPct: number,
  ): Promise<void> {
    const gram = gramMatrix(source, sourceRows, this.k, this.regularization);
    for (let row = 0; row < rows; row++) {
      this.solveRow(gram, ptr[row], ptr[row + 1], indices, weights, source, target, row * this.k);
      if (row % ROWS_PER_CHECK === 0) await pacer.checkpoint(startPct + (spanPct * row) / rows, 'training');
    }
  }

  private solveRow(
    gram: Float64Array,
    start: number,
    end: number,
    indices: Int32Array,
    weights: Float32Array,
    source: Float32Array,
    target: Float32Array,
    targetOffset: number,
  ): void {
    const { k, alpha, x, residual: r, direction: d, product: ad } = this;
    for (let f = 0; f < k; f++) x[f] = target[targetOffset + f];

    // r = b − A·x = Σ (c − (c − 1)·yᵀx)·y − (YᵀY + λI)·x
    multiply(gram, x, r, k);
    for (let f = 0; f < k; f++) r[f] = -r[f];
    for (let e = start; e < end; e++) {
      const base = indices[e] * k;
      const extra = alpha * weights[e];
      const yx = rowDot(source, base, x, k);
      const coefficient = 1 + extra - extra * yx;
      for (let f = 0; f < k; f++) r[f] += coefficient * source[base + f];
    }
    let rr = 0;
    for (let f = 0; f < k; f++) {
      d[f] = r[f];
      rr += r[f] * r[f];
    }
    if (rr < CG_TOLERANCE) return;

    for (let step = 0; step < this.steps; step++) {
      // A·d = (YᵀY + λI)·d + Σ (c − 1)·(yᵀd)·y
      multiply(gram, d, ad, k);
      for (let e = start; e < end; e++) {
        const base = indices[e] * k;
        const yd = rowDot(source, base, d, k);
        const coefficient = alpha * weights[e] * yd;
        for (let f = 0; f < k; f++) ad[f] += coefficient * source[base + f];
      }
      let dAd = 0;
      for (let f = 0; f < k; f++) dAd += d[f] * ad[f];
      if (!(dAd > 0)) break;
      const stepSize = rr / dAd;
      let rrNext = 0;
      for (let f = 0; f < k; f++) {
        x[f] += stepSize * d[f];
        r[f] -= stepSize * ad[f];
        rrNext += r[f] * r[f];
      }
      if (rrNext < CG_TOLERANCE) break;
      const beta = rrNext / rr;
      for (let f = 0; f < k; f++) d[f] = r[f] + beta * d[f];
      rr = rrNext;
    }
    for (let f = 0; f < k; f++) target[targetOffset + f] = x[f];
  }
}

/**
 * out = M·v for a k × k row-major M. Four rows at a time: four independent
 * sums instead of one long chain of dependent additions, and each v[b] load
 * feeds four of them. This product is half the work of a sweep at k = 64.
 */
function multiply(m: Float64Array, v: Float64Array, out: Float64Array, k: number): void {
  let a = 0;
  for (; a + 3 < k; a += 4) {
    const r0 = a * k;
    const r1 = r0 + k;
    const r2 = r1 + k;
    const r3 = r2 + k;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let b = 0; b < k; b++) {
      const vb = v[b];
      s0 += m[r0 + b] * vb;
      s1 += m[r1 + b] * vb;
      s2 += m[r2 + b] * vb;
      s3 += m[r3 + b] * vb;
    }
    out[a] = s0;
    out[a + 1] = s1;
    out[a + 2] = s2;
    out[a + 3] = s3;
  }
  for (; a < k; a++) {
    const row = a * k;
    let sum = 0;
    for (let b = 0; b < k; b++) sum += m[row + b] * v[b];
    out[a] = sum;
  }
}

/** y_row · v over k entries, with two partial sums to halve the chain of dependent additions. */
function rowDot(y: Float32Array, base: number, v: Float64Array, k: number): number {
  let even = 0;
  let odd = 0;
  let f = 0;
  for (; f + 1 < k; f += 2) {
    even += y[base + f] * v[f];
    odd += y[base + f + 1] * v[f + 1];
  }
  if (f < k) even += y[base + f] * v[f];
  return even + odd;
}

/** A trained ALS model: score = x_uᵀ y_i. */
export class AlsModel implements ImplicitModel {
  readonly algorithm = 'als';
  readonly factors: number;
  /** YᵀY + λI of the final item factors, built on the first fold-in. */
  private foldInGram?: Float64Array;

  constructor(
    readonly params: Readonly<AlsParams>,
    readonly users: number,
    readonly items: number,
    /** users × factors, row-major. */
    readonly userFactors: Float32Array,
    /** items × factors, row-major: the item vectors serving puts into a vector index. */
    readonly itemFactors: Float32Array,
  ) {
    this.factors = params.factors;
    if (userFactors.length !== users * this.factors || itemFactors.length !== items * this.factors) throw new RangeError('factor arrays do not match users/items × factors');
  }

  scoreUser(user: number, history: UserHistory, out: Float32Array): void {
    if (user >= this.users || user < -1 || !Number.isInteger(user)) throw new RangeError(`user must be -1 or a row index below ${this.users}, got ${user}`);
    if (user >= 0) {
      scoreItems(this.userFactors, user * this.factors, this.itemFactors, this.items, this.factors, out);
    } else {
      scoreItems(this.foldIn(history), 0, this.itemFactors, this.items, this.factors, out);
    }
  }

  /**
   * The vector an unseen user would get from one more user half-sweep: the
   * exact least-squares solution (Cholesky, k³/3, cheap next to scoring all
   * items) of the user's normal equations against the fixed item factors.
   * History items outside the model's index space are ignored.
   */
  foldIn(history: UserHistory): Float64Array {
    const { factors: k, itemFactors, items } = this;
    const { alpha, regularization } = this.params;
    this.foldInGram ??= gramMatrix(itemFactors, items, k, regularization);
    const a = this.foldInGram.slice();
    const b = new Float64Array(k);
    for (let e = 0; e < history.items.length; e++) {
      const item = history.items[e];
      if (item < 0 || item >= items) continue;
      const base = item * k;
      const extra = alpha * history.weights[e];
      for (let f = 0; f < k; f++) {
        const yf = itemFactors[base + f];
        b[f] += (1 + extra) * yf;
        const scaled = extra * yf;
        for (let g = 0; g <= f; g++) a[f * k + g] += scaled * itemFactors[base + g];
      }
    }
    for (let f = 0; f < k; f++) for (let g = 0; g < f; g++) a[g * k + f] = a[f * k + g];
    choleskySolveInPlace(a, b, k);
    return b;
  }

  serialize(): Uint8Array {
    const { factors, iterations, regularization, alpha, cg_steps, seed } = this.params;
    return encodeFactorModel({
      algorithm: this.algorithm,
      users: this.users,
      items: this.items,
      factors,
      scalars: Float64Array.of(iterations, regularization, alpha, cg_steps, seed),
      arrays: [this.userFactors, this.itemFactors],
    });
  }

  static deserialize(bytes: Uint8Array): AlsModel {
    const { users, items, factors, scalars, arrays } = decodeFactorModel(bytes, 'als');
    if (scalars.length !== 5 || arrays.length !== 2) throw new RangeError('als artifact has an unexpected layout');
    const [iterations, regularization, alpha, cg_steps, seed] = scalars;
    return new AlsModel({ factors, iterations, regularization, alpha, cg_steps, seed }, users, items, arrays[0], arrays[1]);
  }
}

/** The effective params: defaults for absent ones; invalid ones are refused with VALIDATION_FAILED. */
export function resolveAlsParams(params: Partial<AlsParams>): AlsParams {
  const d = DEFAULT_ALS_PARAMS;
  return {
    factors: integerParam(params, 'factors', d.factors, 1, 1024),
    iterations: integerParam(params, 'iterations', d.iterations, 0, 1000),
    regularization: numberParam(params, 'regularization', d.regularization, 0, 1e6),
    alpha: numberParam(params, 'alpha', d.alpha, 0, 1e6),
    cg_steps: integerParam(params, 'cg_steps', d.cg_steps, 1, 64),
    seed: integerParam(params, 'seed', d.seed, 0, 2 ** 32 - 1),
  };
}
