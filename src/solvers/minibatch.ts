/**
 * Minibatch pieces shared by the losses that are means over samples.
 */

/**
 * For the rows listed in rows[offset … offset + count) of the n×m matrix A:
 * g = (1/count) Σ r_i a_i with r_i = a_iᵀx − y_i, and returns (1/count) Σ r_i².
 * O(count·m), one pass per row.
 */
export function rowsResidualMean(
  A: Float64Array, m: number, y: Float64Array, rows: Int32Array, offset: number, count: number, x: Float64Array, g: Float64Array,
): number {
  g.fill(0, 0, m);
  let sse = 0;
  for (let b = offset; b < offset + count; b++) {
    const o = rows[b] * m;
    let dot = 0;
    for (let p = 0; p < m; p++) dot += A[o + p] * x[p];
    const r = dot - y[rows[b]];
    sse += r * r;
    for (let p = 0; p < m; p++) g[p] += r * A[o + p];
  }
  for (let p = 0; p < m; p++) g[p] /= count;
  return sse / count;
}
