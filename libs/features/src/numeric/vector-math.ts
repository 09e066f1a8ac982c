/** Dense vector helpers on typed arrays; none of them allocate. */

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[i] * b[i];
  return sum;
}

export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** Scales `a` to unit length in place; an all-zero vector stays all-zero. Returns `a`. */
export function l2NormalizeInPlace<T extends Float32Array | Float64Array>(a: T): T {
  const length = norm(a);
  if (length > 0) {
    const inverse = 1 / length;
    for (let i = 0; i < a.length; i++) a[i] *= inverse;
  }
  return a;
}

/** Cosine similarity in [-1, 1]; 0 when either vector is all-zero. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const denominator = norm(a) * norm(b);
  return denominator > 0 ? dot(a, b) / denominator : 0;
}
