/** Dense linear algebra shared by the factor models; row-major typed arrays, nothing allocated per element. */

/** Yᵀ·Y + ridge·I for Y = `rows` × `k` row-major factors, as a full symmetric k × k matrix. */
export function gramMatrix(factors: Float32Array, rows: number, k: number, ridge: number): Float64Array {
  const gram = new Float64Array(k * k);
  for (let r = 0; r < rows; r++) {
    const base = r * k;
    for (let a = 0; a < k; a++) {
      const ya = factors[base + a];
      if (ya === 0) continue;
      const row = a * k;
      for (let b = a; b < k; b++) gram[row + b] += ya * factors[base + b];
    }
  }
  for (let a = 0; a < k; a++) {
    gram[a * k + a] += ridge;
    for (let b = a + 1; b < k; b++) gram[b * k + a] = gram[a * k + b];
  }
  return gram;
}

/**
 * Solves A·x = b for a symmetric positive definite A (k × k) by Cholesky.
 * A is overwritten by its factor L (lower triangle) and b by x.
 */
export function choleskySolveInPlace(a: Float64Array, b: Float64Array, k: number): void {
  for (let j = 0; j < k; j++) {
    let diagonal = a[j * k + j];
    for (let p = 0; p < j; p++) diagonal -= a[j * k + p] * a[j * k + p];
    // A ridge term keeps A positive definite; the floor only guards against rounding.
    const ljj = Math.sqrt(Math.max(diagonal, 1e-12));
    a[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let sum = a[i * k + j];
      for (let p = 0; p < j; p++) sum -= a[i * k + p] * a[j * k + p];
      a[i * k + j] = sum / ljj;
    }
  }
  for (let i = 0; i < k; i++) {
    let sum = b[i];
    for (let p = 0; p < i; p++) sum -= a[i * k + p] * b[p];
    b[i] = sum / a[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let sum = b[i];
    for (let p = i + 1; p < k; p++) sum -= a[p * k + i] * b[p];
    b[i] = sum / a[i * k + i];
  }
}

/** out[i] = x · Y_i (+ bias[i]) for every item row of Y. */
export function scoreItems(
  user: Float32Array | Float64Array,
  userOffset: number,
  itemFactors: Float32Array,
  items: number,
  k: number,
  out: Float32Array,
  itemBias?: Float32Array,
): void {
  if (out.length < items) throw new RangeError(`out must hold ${items} scores, has ${out.length}`);
  for (let i = 0; i < items; i++) {
    const base = i * k;
    let score = itemBias ? itemBias[i] : 0;
    for (let f = 0; f < k; f++) score += user[userOffset + f] * itemFactors[base + f];
    out[i] = score;
  }
}
