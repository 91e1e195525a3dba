/**
 * Kernels for rank-one measurements A_i = x_i·x_iᵀ (the quadratic network),
 * with the n inputs stored as the rows of a flat n×d matrix. None forms a d×d
 * matrix per sample.
 */

/**
 * Residuals and the weighted Gram matrix in one pass over the inputs:
 * r_i = x_iᵀWx_i − y_i, G = Σ r_i x_i x_iᵀ (full symmetric d×d). Returns Σ r_i².
 * O(n·d²) for the quadratic forms plus O(n·d²/2) for the upper triangle of G.
 * `t` is scratch of length d.
 */
export function quadFormResidualGram(
  X: Float64Array, n: number, d: number, W: Float64Array, y: Float64Array, G: Float64Array, t: Float64Array,
): number {
  G.fill(0, 0, d * d);
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const r = quadForm(X, i * d, d, W, t) - y[i];
    sse += r * r;
    const o = i * d;
    for (let a = 0; a < d; a++) {
      const ra = r * X[o + a];
      const ga = a * d - o;
      for (let b = o + a; b < o + d; b++) G[ga + b] += ra * X[b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) G[b * d + a] = G[a * d + b];
  return sse;
}

/** x_iᵀWx_i for the row starting at X[o]; t (length d) is scratch. O(d²). */
export function quadForm(X: Float64Array, o: number, d: number, W: Float64Array, t: Float64Array): number {
  let s = 0;
  for (let a = 0; a < d; a++) {
    const wa = a * d;
    let acc0 = 0, acc1 = 0;
    let b = 0;
    for (; b + 1 < d; b += 2) {
      acc0 += W[wa + b] * X[o + b];
      acc1 += W[wa + b + 1] * X[o + b + 1];
    }
    if (b < d) acc0 += W[wa + b] * X[o + b];
    t[a] = acc0 + acc1;
    s += X[o + a] * t[a];
  }
  return s;
}

/** Σ_i (x_iᵀWx_i − y_i)² over the n rows of X. O(n·d²). */
export function quadFormSse(X: Float64Array, n: number, d: number, W: Float64Array, y: Float64Array, t: Float64Array): number {
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const r = quadForm(X, i * d, d, W, t) - y[i];
    sse += r * r;
  }
  return sse;
}

/**
 * The XU route: P = X·U (n×k), r_i = ‖P_i‖² − y_i, R = r ∘ P written into P, and
 * returns Σ r_i². The gradient then is (4/n)·Xᵀ·P (matmulTransA). O(n·d·k).
 */
export function projectedResiduals(
  X: Float64Array, n: number, d: number, U: Float64Array, k: number, y: Float64Array, P: Float64Array,
): number {
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const po = i * k;
    P.fill(0, po, po + k);
    for (let a = 0; a < d; a++) {
      const xa = X[i * d + a];
      const ua = a * k;
      for (let j = 0; j < k; j++) P[po + j] += xa * U[ua + j];
    }
    let s = 0;
    for (let j = 0; j < k; j++) s += P[po + j] * P[po + j];
    const r = s - y[i];
    sse += r * r;
    for (let j = 0; j < k; j++) P[po + j] *= r;
  }
  return sse;
}
