/**
 * Packed storage of symmetric d×d matrices: the upper triangle row by row,
 * m = d(d+1)/2 entries, entry (i, j≥i) at index i·d − i(i−1)/2 + (j − i).
 *
 * Sensing matrices are stored packed with their off-diagonal entries doubled,
 * so that ⟨A, X⟩ = Σ_{i,j} A_ij X_ij = aᵀx when x is X packed plainly: the
 * factor 2 of the two mirrored terms is folded into the data once, not into
 * every step.
 */

/** Number of packed entries of a symmetric d×d matrix. */
export function packedSize(d: number): number {
  return (d * (d + 1)) / 2;
}

/** Pack the upper triangle of a full symmetric X (d×d) into x (length m). O(d²). */
export function packSymmetric(X: Float64Array, d: number, x: Float64Array): Float64Array {
  let p = 0;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) x[p++] = X[i * d + j];
  }
  return x;
}

/**
 * Unpack g (packed, off-diagonals doubled as in a sensing matrix) into the full
 * symmetric G (d×d) with G_ij = g_ij / 2 off the diagonal and G_ii = g_ii:
 * the inverse of the doubling, so Σ w_i a_i unpacks to Σ w_i A_i.
 */
export function unpackDoubled(g: Float64Array, d: number, G: Float64Array): Float64Array {
  let p = 0;
  for (let i = 0; i < d; i++) {
    G[i * d + i] = g[p++];
    for (let j = i + 1; j < d; j++) {
      const v = 0.5 * g[p++];
      G[i * d + j] = v;
      G[j * d + i] = v;
    }
  }
  return G;
}

/**
 * out_i = a_iᵀx for the n packed rows of A (n×m): one pass over the data, O(n·m).
 */
export function packedRowDots(A: Float64Array, n: number, m: number, x: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const o = i * m;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let j = 0;
    // four accumulators: independent add chains the JIT can overlap
    for (; j + 3 < m; j += 4) {
      s0 += A[o + j] * x[j];
      s1 += A[o + j + 1] * x[j + 1];
      s2 += A[o + j + 2] * x[j + 2];
      s3 += A[o + j + 3] * x[j + 3];
    }
    for (; j < m; j++) s0 += A[o + j] * x[j];
    out[i] = s0 + s1 + s2 + s3;
  }
  return out;
}

/**
 * Fused residual and accumulation over packed rows: r_i = a_iᵀx − y_i, g = Σ r_i a_i,
 * returns Σ r_i². One pass over A (the row is reused while hot in cache): O(n·m).
 */
export function packedResidualAccumulate(
  A: Float64Array, n: number, m: number, x: Float64Array, y: Float64Array, g: Float64Array,
): number {
  g.fill(0, 0, m);
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const o = i * m;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let j = 0;
    for (; j + 3 < m; j += 4) {
      s0 += A[o + j] * x[j];
      s1 += A[o + j + 1] * x[j + 1];
      s2 += A[o + j + 2] * x[j + 2];
      s3 += A[o + j + 3] * x[j + 3];
    }
    for (; j < m; j++) s0 += A[o + j] * x[j];
    const r = s0 + s1 + s2 + s3 - y[i];
    sse += r * r;
    for (j = 0; j < m; j++) g[j] += r * A[o + j];
  }
  return sse;
}

/**
 * Second moments of packed rows: H = (1/n)·AᵀA (m×m, full symmetric),
 * b = (1/n)·Aᵀy and returns c = (1/n)·yᵀy. O(n·m²/2), done once per data set:
 * afterwards every step of a loss quadratic in X costs O(m²) instead of O(n·m).
 */
export function packedMoments(
  A: Float64Array, n: number, m: number, y: Float64Array, H: Float64Array, b: Float64Array,
): number {
  H.fill(0, 0, m * m);
  b.fill(0, 0, m);
  let c = 0;
  for (let i = 0; i < n; i++) {
    accumulateMoment(A, i * m, m, y[i], H, b);
    c += y[i] * y[i];
  }
  finishMoments(H, b, m, n);
  return c / n;
}

/**
 * Adds one row a = src[o..o+m) to the upper triangle of H (H += a·aᵀ) and y·a to b.
 * O(m²/2). Call finishMoments after the last row.
 */
export function accumulateMoment(src: Float64Array, o: number, m: number, y: number, H: Float64Array, b: Float64Array): void {
  for (let p = 0; p < m; p++) {
    const ap = src[o + p];
    b[p] += y * ap;
    if (ap === 0) continue;
    const hp = p * m - o;
    for (let q = o + p; q < o + m; q++) H[hp + q] += ap * src[q];
  }
}

/** Scale the accumulated moments by 1/n and mirror H's upper triangle. O(m²). */
export function finishMoments(H: Float64Array, b: Float64Array, m: number, n: number): void {
  const inv = 1 / n;
  for (let p = 0; p < m; p++) {
    b[p] *= inv;
    for (let q = p; q < m; q++) {
      const v = H[p * m + q] * inv;
      H[p * m + q] = v;
      H[q * m + p] = v;
    }
  }
}

/**
 * Packed outer product with doubled off-diagonals: a = pack(x·xᵀ) such that
 * aᵀ·pack(X) = xᵀXx. Writes a[0..d(d+1)/2). O(d²/2).
 */
export function packedOuter(x: Float64Array, xo: number, d: number, a: Float64Array): Float64Array {
  let p = 0;
  for (let i = 0; i < d; i++) {
    const xi = x[xo + i];
    a[p++] = xi * xi;
    const twice = 2 * xi;
    for (let j = i + 1; j < d; j++) a[p++] = twice * x[xo + j];
  }
  return a;
}

/** out = H·x for a full m×m matrix H. O(m²). */
export function matvec(H: Float64Array, m: number, x: Float64Array, out: Float64Array): Float64Array {
  for (let p = 0; p < m; p++) {
    const o = p * m;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let q = 0;
    for (; q + 3 < m; q += 4) {
      s0 += H[o + q] * x[q];
      s1 += H[o + q + 1] * x[q + 1];
      s2 += H[o + q + 2] * x[q + 2];
      s3 += H[o + q + 3] * x[q + 3];
    }
    for (; q < m; q++) s0 += H[o + q] * x[q];
    out[p] = s0 + s1 + s2 + s3;
  }
  return out;
}
