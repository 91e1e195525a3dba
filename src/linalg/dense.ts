/**
 * Dense kernels on flat row-major Float64Arrays with explicit sizes.
 *
 * Every kernel writes into a caller-provided `out` and returns it, so hot loops
 * allocate nothing. None of them checks its arguments: callers size buffers once
 * per run. This module knows nothing of the rest of the project.
 */

/**
 * Gram matrix of the rows: out = U·Uᵀ, U is d×k, out is d×d (full, symmetric).
 * O(d²·k/2): only the upper triangle is computed, then mirrored.
 * @example gram(U, 3, 2, new Float64Array(9))
 */
export function gram(U: Float64Array, d: number, k: number, out: Float64Array): Float64Array {
  for (let i = 0; i < d; i++) {
    const ri = i * k;
    for (let j = i; j < d; j++) {
      const rj = j * k;
      let s0 = 0, s1 = 0;
      let c = 0;
      // two accumulators break the add dependency chain
      for (; c + 1 < k; c += 2) {
        s0 += U[ri + c] * U[rj + c];
        s1 += U[ri + c + 1] * U[rj + c + 1];
      }
      if (c < k) s0 += U[ri + c] * U[rj + c];
      const s = s0 + s1;
      out[i * d + j] = s;
      out[j * d + i] = s;
    }
  }
  return out;
}

/**
 * out = A·B with A (p×q) and B (q×s), all row-major. O(p·q·s), i-k-j order so the
 * inner loop streams a row of B and a row of out.
 */
export function matmul(A: Float64Array, p: number, q: number, B: Float64Array, s: number, out: Float64Array): Float64Array {
  out.fill(0, 0, p * s);
  for (let i = 0; i < p; i++) {
    const oi = i * s;
    for (let l = 0; l < q; l++) {
      const a = A[i * q + l];
      if (a === 0) continue;
      const bl = l * s;
      for (let j = 0; j < s; j++) out[oi + j] += a * B[bl + j];
    }
  }
  return out;
}

/**
 * out = Aᵀ·B with A (p×q) and B (p×s): out is q×s. O(p·q·s), streams rows of A and B.
 */
export function matmulTransA(A: Float64Array, p: number, q: number, B: Float64Array, s: number, out: Float64Array): Float64Array {
  out.fill(0, 0, q * s);
  for (let i = 0; i < p; i++) {
    const ai = i * q;
    const bi = i * s;
    for (let l = 0; l < q; l++) {
      const a = A[ai + l];
      if (a === 0) continue;
      const ol = l * s;
      for (let j = 0; j < s; j++) out[ol + j] += a * B[bi + j];
    }
  }
  return out;
}

/** Squared Frobenius norm of the first `len` entries. */
export function sumSquares(a: Float64Array, len: number = a.length): number {
  let s0 = 0, s1 = 0, i = 0;
  for (; i + 1 < len; i += 2) {
    s0 += a[i] * a[i];
    s1 += a[i + 1] * a[i + 1];
  }
  if (i < len) s0 += a[i] * a[i];
  return s0 + s1;
}

/** Squared Frobenius distance ‖a − b‖² over the first `len` entries. */
export function sumSquaredDiff(a: Float64Array, b: Float64Array, len: number = a.length): number {
  let s = 0;
  for (let i = 0; i < len; i++) {
    const t = a[i] - b[i];
    s += t * t;
  }
  return s;
}

/** Dot product of the first `len` entries. */
export function dot(a: Float64Array, b: Float64Array, len: number = a.length): number {
  let s0 = 0, s1 = 0, i = 0;
  for (; i + 1 < len; i += 2) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
  }
  if (i < len) s0 += a[i] * b[i];
  return s0 + s1;
}

/** y += alpha·x over the first `len` entries (BLAS axpy). */
export function axpy(alpha: number, x: Float64Array, y: Float64Array, len: number = x.length): Float64Array {
  for (let i = 0; i < len; i++) y[i] += alpha * x[i];
  return y;
}

/** Squared l2 norm of each column of U (d×k) into out (length k). O(d·k). */
export function columnSquaredNorms(U: Float64Array, d: number, k: number, out: Float64Array): Float64Array {
  out.fill(0, 0, k);
  for (let i = 0; i < d; i++) {
    const ri = i * k;
    for (let j = 0; j < k; j++) out[j] += U[ri + j] * U[ri + j];
  }
  return out;
}

/** Copy the listed columns of U (d×k) into out (d×cols.length), in the given order. */
export function selectColumns(U: Float64Array, d: number, k: number, cols: ArrayLike<number>, out: Float64Array): Float64Array {
  const kk = cols.length;
  for (let i = 0; i < d; i++) {
    for (let c = 0; c < kk; c++) out[i * kk + c] = U[i * k + cols[c]];
  }
  return out;
}
