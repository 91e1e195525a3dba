/**
 * A group MCP penalty (minimax concave penalty, Zhang 2010) on the columns of U,
 * as a prune-sense plug-in. With t = ‖u_j‖ and the plug-in parameter a > 0,
 *
 *   R(U) = Σ_j m(‖u_j‖),   m(t) = t − t²/(2a) for t ≤ a,   a/2 for t > a,
 *
 * so λR is the group MCP with γλ = a: like the group Lasso near zero (exact zeros),
 * but no shrinkage at all for columns longer than a (no bias on the kept columns).
 * R is non-smooth at u_j = 0, so it is applied by its proximal map, "firm
 * thresholding" of each column's norm (for step t = η·λ):
 *
 *   s = ‖u_j‖ ≤ t: 0;   t < s ≤ a: (s − t)/(1 − t/a);   s > a: s          (t < a)
 *   s² ≤ t·a: 0;   otherwise s                                            (t ≥ a)
 *
 * Run it: prune-sense run examples/plugins/mcp.yaml
 * Test it: prune-sense plugin test examples/plugins/mcp.mjs
 */
export default {
  apiVersion: 1,
  penalties: [
    {
      kind: "group-mcp",
      description: "group MCP: R(U) = Σ m(‖u_j‖), m(t) = t − t²/2a up to a, then a/2 (by its prox: exact zeros, no shrinkage past a)",
      params: {
        a: { type: "number", min: 0, exclusiveMin: true, default: 2, description: "the norm past which a column is not shrunk (γλ of the MCP)" },
      },
      // R(U) only: the whole penalty is applied by prox, so nothing is added to grad
      addGradient(U, d, k, _beta, _lambda, _grad, colSq, { a }) {
        columnSquaredNorms(U, d, k, colSq);
        let value = 0;
        for (let j = 0; j < k; j++) {
          const t = Math.sqrt(colSq[j]);
          value += t <= a ? t - (t * t) / (2 * a) : a / 2;
        }
        return value;
      },
      prox(U, d, k, _beta, t, colSq, { a }) {
        columnSquaredNorms(U, d, k, colSq);
        // colSq[j] becomes the factor the column is scaled by
        for (let j = 0; j < k; j++) {
          const s = Math.sqrt(colSq[j]);
          let x;
          if (t < a) x = s <= t ? 0 : s <= a ? (s - t) / (1 - t / a) : s;
          else x = s * s <= t * a ? 0 : s;
          colSq[j] = s > 0 ? x / s : 0;
        }
        for (let i = 0; i < d; i++) {
          const o = i * k;
          for (let j = 0; j < k; j++) U[o + j] *= colSq[j];
        }
      },
    },
  ],
};

/** ‖u_j‖² of each column of U (d×k, row-major) into out (length ≥ k). */
function columnSquaredNorms(U, d, k, out) {
  for (let j = 0; j < k; j++) out[j] = 0;
  for (let i = 0; i < d; i++) {
    const o = i * k;
    for (let j = 0; j < k; j++) out[j] += U[o + j] * U[o + j];
  }
  return out;
}
