/**
 * Naive twins of the linalg kernels: the definitions written as plain loops,
 * allocating their results, with no blocking, unrolling or symmetry tricks. The
 * kernel tests compare the fast kernels against these.
 */
import { createStream } from "../../src/random/streams.js";

/** Seeded N(0, scale²) entries. */
export function random(len: number, key: string, scale = 1): Float64Array {
  return createStream(`test:linalg:${key}`).fillNormal(new Float64Array(len), scale);
}

/** A random symmetric n×n matrix. */
export function randomSymmetric(n: number, key: string): Float64Array {
  const S = random(n * n, key);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) S[i * n + j] = S[j * n + i];
  return S;
}

/**
 * max_i |a_i − b_i| / max(max_i |b_i|, 1e-300): the error relative to the result's
 * scale (entries of a sum may cancel, so entry-wise relative error is not meaningful).
 */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let err = 0, scale = 1e-300;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / scale;
}

/** |a − b| / max(|b|, 1e-300) for scalars. */
export function relScalar(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

export const TOL = 1e-12;

/** Index of (i, j), i ≤ j, in the packed upper triangle of a d×d matrix. */
export function pk(i: number, j: number, d: number): number {
  return i * d - (i * (i - 1)) / 2 + (j - i);
}

export function gram(U: Float64Array, d: number, k: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += U[i * k + c] * U[j * k + c];
    out[i * d + j] = s;
  }
  return out;
}

export function matmul(A: Float64Array, p: number, q: number, B: Float64Array, s: number): Float64Array {
  const out = new Float64Array(p * s);
  for (let i = 0; i < p; i++) for (let j = 0; j < s; j++) {
    let t = 0;
    for (let l = 0; l < q; l++) t += A[i * q + l] * B[l * s + j];
    out[i * s + j] = t;
  }
  return out;
}

export function transpose(A: Float64Array, p: number, q: number): Float64Array {
  const T = new Float64Array(p * q);
  for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) T[j * p + i] = A[i * q + j];
  return T;
}

export function matvec(H: Float64Array, m: number, x: Float64Array): Float64Array {
  return matmul(H, m, m, x, 1);
}

/** The full symmetric matrix whose packed upper triangle is x (no doubling). */
export function unpackPlain(x: Float64Array, d: number): Float64Array {
  const X = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) X[i * d + j] = X[j * d + i] = x[pk(i, j, d)];
  return X;
}

/** out_i = Σ_j A_ij x_j for the n rows of A (n×m). */
export function rowDots(A: Float64Array, n: number, m: number, x: Float64Array): Float64Array {
  return matmul(A, n, m, x, 1);
}

/** H = (1/n) AᵀA, b = (1/n) Aᵀy, c = (1/n) yᵀy. */
export function moments(A: Float64Array, n: number, m: number, y: Float64Array): { H: Float64Array; b: Float64Array; c: number } {
  const H = matmul(transpose(A, n, m), m, n, A, m).map((v) => v / n);
  const b = matmul(transpose(A, n, m), m, n, y, 1).map((v) => v / n);
  let c = 0;
  for (let i = 0; i < n; i++) c += y[i] * y[i];
  return { H, b, c: c / n };
}

/** xᵀWx for the row of X at offset o, straight from the definition Σ_ab x_a W_ab x_b. */
export function quadForm(X: Float64Array, o: number, d: number, W: Float64Array): number {
  let s = 0;
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) s += X[o + a] * W[a * d + b] * X[o + b];
  return s;
}

/** pack(x xᵀ) with doubled off-diagonals, from the full outer product. */
export function packedOuter(x: Float64Array, xo: number, d: number): Float64Array {
  const a = new Float64Array((d * (d + 1)) / 2);
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) a[pk(i, j, d)] = (i === j ? 1 : 2) * x[xo + i] * x[xo + j];
  return a;
}
